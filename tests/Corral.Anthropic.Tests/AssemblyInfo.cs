// Servers and runner processes compete for 2 cores: run test classes one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
