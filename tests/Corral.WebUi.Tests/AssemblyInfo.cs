// One server and one browser at a time: they compete for 2 cores with the runner processes.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
