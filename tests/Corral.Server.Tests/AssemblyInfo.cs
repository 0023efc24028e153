// Each test class starts real `corral serve` processes; on a 2-core machine they must not run side by side.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
