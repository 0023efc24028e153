// The page's test classes share one server and one browser (the "web ui" collection) and run one after another; the
// key page tests, with a server and a browser of their own, run beside them.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass)]
