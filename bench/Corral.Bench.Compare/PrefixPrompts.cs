namespace Corral.Bench.Compare;

/// <summary>
/// Four prompts sharing one fresh prefix: a cold one, one sent after it (its prefix cached in the slot it used), a long
/// one that then keeps that slot busy generating, and one sent while it does (its prefix is only in a busy slot).
/// </summary>
internal sealed record PrefixPrompts(string Cold, string Hit, string Long, string During);
