"""Many runs: experiment designs, the engines that run them (local processes or a Dask cluster),
the results store with its provenance, locks and atomic files, so a sweep can be stopped and
resumed."""
