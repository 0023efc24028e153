// The process tests start real servers and runners that compete for 2 cores: one test class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
