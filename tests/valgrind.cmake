# One end-to-end run of the small fixture under valgrind (label valgrind),
# the same with the JSON summary (--json), reistijd info --json and
# reistijd nearest --network on the network fixture, and a run of the
# hybrid fixture (roads and land):
# memory errors and definitely lost blocks fail the test. GDAL, PROJ and
# GEOS need no suppressions: what they keep for the whole process is still
# reachable, not lost. Not in a sanitizer build (valgrind cannot run an
# ASan binary). Included from tests/CMakeLists.txt.
if(NOT RT_SANITIZE)
  find_program(RT_VALGRIND valgrind)
  if(RT_VALGRIND)
    add_test(NAME valgrind_run_small
      COMMAND ${RT_VALGRIND} --error-exitcode=1 --leak-check=full
              --errors-for-leak-kinds=definite
              $<TARGET_FILE:reistijd> run ${PROJECT_SOURCE_DIR}/tests/fixtures/small/study.yaml
              -o ${PROJECT_BINARY_DIR}/valgrind-out -q)
    set_tests_properties(valgrind_run_small PROPERTIES LABELS valgrind TIMEOUT 900)
    # the JSON summary of a run, and reistijd info
    add_test(NAME valgrind_json_small
      COMMAND ${RT_VALGRIND} --error-exitcode=1 --leak-check=full
              --errors-for-leak-kinds=definite
              $<TARGET_FILE:reistijd> run ${PROJECT_SOURCE_DIR}/tests/fixtures/small/study.yaml
              -o ${PROJECT_BINARY_DIR}/valgrind-json-out --json -q)
    add_test(NAME valgrind_info
      COMMAND ${RT_VALGRIND} --error-exitcode=1 --leak-check=full
              --errors-for-leak-kinds=definite $<TARGET_FILE:reistijd> info --json)
    # the road-network mode of nearest
    add_test(NAME valgrind_nearest_network
      COMMAND ${RT_VALGRIND} --error-exitcode=1 --leak-check=full
              --errors-for-leak-kinds=definite
              $<TARGET_FILE:reistijd> nearest
              --network ${PROJECT_SOURCE_DIR}/tests/fixtures/network/edges.csv
              --sources ${PROJECT_SOURCE_DIR}/tests/fixtures/network/sources.csv
              -o ${PROJECT_BINARY_DIR}/valgrind-network.csv -q)
    # the hybrid medium (road graph, edge index, alternating searches)
    add_test(NAME valgrind_run_hybrid
      COMMAND ${RT_VALGRIND} --error-exitcode=1 --leak-check=full
              --errors-for-leak-kinds=definite
              $<TARGET_FILE:reistijd> run ${PROJECT_SOURCE_DIR}/tests/fixtures/hybrid/study.yaml
              -o ${PROJECT_BINARY_DIR}/valgrind-hybrid-out -q)
    set_tests_properties(valgrind_json_small valgrind_info valgrind_nearest_network
                         valgrind_run_hybrid PROPERTIES LABELS valgrind TIMEOUT 900)
  endif()
endif()
