// Test classes run side by side, as many as the machine has cores: each has its own server (in this process, see
// InProcessServer) and its own runners, so they share nothing.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass)]
