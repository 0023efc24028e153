using Corral.Cli.Commands;

return await CommandDispatcher.RunAsync(args).ConfigureAwait(false);
