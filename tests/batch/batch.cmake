# The batch tests beyond tests/cli/test_cli_batch.c: under mpirun (label
# mpi, only with RT_WITH_MPI) and as a Slurm job array on a Slurm started
# by the test (label slurm; skipped with its reason where Slurm cannot
# start). Both compare with the batch run in one process.
if(TEST cli_test_cli_batch AND RT_WITH_MPI)
  set_property(TEST cli_test_cli_batch APPEND PROPERTY ENVIRONMENT "RT_WITH_MPI=1")
endif()
