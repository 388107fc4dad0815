# Tests of the installed product (label package) and of the quick-start
# page (label docs). Included from tests/CMakeLists.txt. Each runs a script
# of tests/package/ on the finished build:
#   package_install   cmake --install into a temporary prefix; the consumer
#                     project tests/package built with find_package (shared
#                     and static) and with pkg-config; exported symbols
#   package_deb       cpack -G DEB; control fields and contents
#   package_manpage   the man page made from docs/cli.md
#   docs_quickstart   the study printed in docs/quickstart.md validates and runs
#   docs_errors       docs/errors.md is the bad-input catalogue of the tests (the
#                     rows they wrote when they ran)
#   docs_snippets     every study of the docs marked `yaml study` validates
set(RT_PKG_DIR ${CMAKE_CURRENT_SOURCE_DIR}/package)
set(RT_PKG_ENV "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan.supp")
set(RT_PKG_CFLAGS "")
if(RT_SANITIZE)
  # A sanitized library needs sanitized programs.
  set(RT_PKG_CFLAGS "-fsanitize=address,undefined -fno-sanitize-recover=all")
endif()

add_test(NAME package_install
  COMMAND bash ${RT_PKG_DIR}/test_install.sh ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR}
          ${CMAKE_C_COMPILER} "${RT_PKG_CFLAGS}")
set_tests_properties(package_install PROPERTIES LABELS package TIMEOUT 300
  ENVIRONMENT "${RT_PKG_ENV}")

find_program(RT_DPKG_DEB dpkg-deb)
find_program(RT_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(RT_DPKG_DEB AND RT_DPKG_SHLIBDEPS)
  add_test(NAME package_deb
    COMMAND bash ${RT_PKG_DIR}/test_deb.sh ${PROJECT_BINARY_DIR} ${PROJECT_VERSION}
            $<IF:$<TARGET_EXISTS:rt_static>,ON,OFF>)
  set_tests_properties(package_deb PROPERTIES LABELS package TIMEOUT 300)
else()
  message(STATUS "dpkg-deb or dpkg-shlibdeps not found: no package_deb test "
                 "(scripts/install-deps.sh installs dpkg-dev)")
endif()

if(RT_PANDOC)
  add_test(NAME package_manpage
    COMMAND bash ${RT_PKG_DIR}/test_manpage.sh ${RT_MANPAGE} ${PROJECT_SOURCE_DIR}/docs/cli.md)
  set_tests_properties(package_manpage PROPERTIES LABELS package TIMEOUT 60)
endif()

add_test(NAME docs_quickstart
  COMMAND bash ${RT_PKG_DIR}/test_quickstart.sh $<TARGET_FILE:reistijd> ${PROJECT_SOURCE_DIR})
set_tests_properties(docs_quickstart PROPERTIES LABELS docs TIMEOUT 300 ENVIRONMENT "${RT_PKG_ENV}")

# the rows as the bad-input tests wrote them (tests/CMakeLists.txt): ctest
# runs those first, and docs_errors not at all when one of them failed
add_test(NAME docs_errors
  COMMAND bash ${RT_PKG_DIR}/test_errors_doc.sh ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR}
          ${PROJECT_BINARY_DIR}/tests/errors)
set_tests_properties(docs_errors PROPERTIES LABELS docs TIMEOUT 120 ENVIRONMENT "${RT_PKG_ENV}"
  FIXTURES_REQUIRED errors_rows)

add_test(NAME docs_snippets
  COMMAND bash ${RT_PKG_DIR}/test_doc_snippets.sh $<TARGET_FILE:reistijd> ${PROJECT_SOURCE_DIR})
set_tests_properties(docs_snippets PROPERTIES LABELS docs TIMEOUT 300 ENVIRONMENT "${RT_PKG_ENV}")
