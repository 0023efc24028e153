// Test classes run side by side, as many as the machine has cores: each starts its own runner processes.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass)]
