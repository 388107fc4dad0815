# The batch tests beyond tests/cli/test_cli_batch.c: under mpirun (label
# mpi, only with RT_WITH_MPI) and as a Slurm job array on a Slurm started
# by the test (label slurm; skipped with its reason where Slurm cannot
# start). Both compare with the batch run in one process.
if(TEST cli_test_cli_batch AND RT_WITH_MPI)
  set_property(TEST cli_test_cli_batch APPEND PROPERTY ENVIRONMENT "RT_WITH_MPI=1")
endif()
if(RT_WITH_MPI)
  add_test(NAME batch_mpi COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/test_mpi.sh $<TARGET_FILE:reistijd>
                                  ${MPIEXEC_EXECUTABLE})
  # OpenMPI's components are unloaded before LeakSanitizer looks, so what
  # they keep until exit shows as leaks of an unknown module: not ours.
  set_tests_properties(batch_mpi PROPERTIES LABELS mpi TIMEOUT 120
                                            ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0")
endif()
# Starts munged, slurmctld and slurmd as root on free ports of localhost;
# skipped (77) with the reason where it cannot.
if(RT_WITH_MPI)
  set(RT_SLURM_MPIEXEC ${MPIEXEC_EXECUTABLE})
endif()
add_test(NAME batch_slurm COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/test_slurm.sh
                                  $<TARGET_FILE:reistijd> ${PROJECT_SOURCE_DIR}/docs/hpc.md
                                  ${RT_SLURM_MPIEXEC})
set_tests_properties(batch_slurm PROPERTIES LABELS slurm TIMEOUT 240 SKIP_RETURN_CODE 77)
if(RT_WITH_MPI)
  set_tests_properties(batch_slurm PROPERTIES ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0")
endif()
