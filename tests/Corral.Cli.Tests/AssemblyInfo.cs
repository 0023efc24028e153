// Test classes run side by side, as many as the machine has cores: each end-to-end class has its own server (in this
// process, see InProcessServer) and HOME, and the fresh-clone build works in a copy of its own.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass)]
