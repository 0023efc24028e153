// Three servers, their runners and a gateway compete for 2 cores: run test classes one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
