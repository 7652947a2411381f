"""cara-fed: a federated ActivityPub server for artists."""

import os

# One BLAS thread per process, fixed here because it must be before numpy is first imported
# (the server, the workers and the CLI all import this package first). Screening's small
# matrix products (the PDQ hash) otherwise wake a second OpenBLAS thread that spins while it
# waits for a core: on 2 vCPUs that doubled the CPU screening took (bench/RESULTS.md) and
# took it from the web server. The cloak's own process sets its threads from [cloak]
# threads. An admin's environment still wins.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

__version__ = "0.1.0"
SOFTWARE_NAME = "cara-fed"
