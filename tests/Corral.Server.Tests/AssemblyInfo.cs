// Test classes run side by side, as many as the machine has cores: each has its own server (in this process, see
// InProcessServer) and runners. The few that measure memory or time, or read process-wide state, are in the
// "serial" collection (SerialCollectionDefinition), which runs alone after the others.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass)]
