// One test class at a time: several start servers, seed cities and drive load, and on a CI machine
// of two cores, classes running side by side would starve each other's timing-sensitive checks
// (the simulator's compressed day, the relay's hand-over) into failures that mean nothing.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
