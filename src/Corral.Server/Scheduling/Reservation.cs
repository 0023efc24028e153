namespace Corral.Server.Scheduling;

/// <summary>What <see cref="ModelScheduler"/> hands a request under its lock: a loaded model, a load it started, or something to wait for.</summary>
internal readonly record struct Reservation(LoadedModel? Model, Task<LoadedModel>? Load, Task? WaitFor)
{
    public static Reservation Ready(LoadedModel model) => new(model, null, null);

    public static Reservation Loading(Task<LoadedModel> load) => new(null, load, null);

    public static Reservation Wait(Task task) => new(null, null, task);
}
