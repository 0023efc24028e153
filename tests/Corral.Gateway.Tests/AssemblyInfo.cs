// Test classes run side by side, as many as the machine has cores: the fleet tests (one collection, one fixture) and
// the failure tests each have their own servers, runners and gateway.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass)]
