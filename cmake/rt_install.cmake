# What `cmake --install` puts where (paths relative to the prefix; LIBDIR
# and the others are GNUInstallDirs'):
#
#   bin/reistijd                         the command
#   LIBDIR/libreistijd.so.*, .a          the library (src/lib/CMakeLists.txt)
#   include/reistijd/*.h                 the public headers
#   LIBDIR/pkgconfig/reistijd.pc         pkg-config
#   LIBDIR/cmake/reistijd/               find_package(reistijd CONFIG)
#   share/man/man1/reistijd.1            the man page, made from docs/cli.md
#   share/doc/reistijd/                  README, docs/*.md, copyright, and the
#                                        SOURCE.txt of every embedded data set
#   share/reistijd/profiles/             speed profiles and osmconf.ini
#                                        (docs/networks.md)
#
# `cpack -G DEB` packs the same files into reistijd_<version>_<arch>.deb.
# Included from the top-level CMakeLists.txt.

set(RT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/reistijd)

# --- man page ------------------------------------------------------------
find_program(RT_PANDOC pandoc)
if(RT_PANDOC)
  set(RT_MANPAGE ${PROJECT_BINARY_DIR}/man/reistijd.1)
  add_custom_command(OUTPUT ${RT_MANPAGE}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
    COMMAND ${RT_PANDOC} -s -f markdown -t man
            --lua-filter ${PROJECT_SOURCE_DIR}/cmake/rt_manpage.lua
            -M title=REISTIJD -M section=1
            "-M" "description=travel-time accessibility for regional policy"
            "-M" "docdir=share/doc/reistijd under the installation prefix"
            "-V" "footer=reistijd ${PROJECT_VERSION}" "-V" "header=User Commands"
            -o ${RT_MANPAGE} ${PROJECT_SOURCE_DIR}/docs/cli.md
    DEPENDS ${PROJECT_SOURCE_DIR}/docs/cli.md ${PROJECT_SOURCE_DIR}/cmake/rt_manpage.lua
    COMMENT "Man page reistijd.1 from docs/cli.md"
    VERBATIM)
  add_custom_target(manpage ALL DEPENDS ${RT_MANPAGE})
  install(FILES ${RT_MANPAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "pandoc not found: the man page reistijd.1 is not built or installed "
                 "(scripts/install-deps.sh installs pandoc)")
endif()

# --- library, headers, command -------------------------------------------
install(TARGETS rt_shared EXPORT reistijdTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET rt_static)
  install(TARGETS rt_static EXPORT reistijdStaticTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(EXPORT reistijdStaticTargets NAMESPACE reistijd:: DESTINATION ${RT_CMAKE_DIR})
endif()
install(TARGETS reistijd RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/reistijd DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")

# --- CMake package -------------------------------------------------------
# What the library needs from pkg-config when linked statically.
set(RT_PC_REQUIRES_PRIVATE "gdal proj geos libcrypto libfyaml json-c")
if(RT_WITH_MPI) # reistijd batch over MPI processes
  string(APPEND RT_PC_REQUIRES_PRIVATE " ompi-c")
endif()
include(CMakePackageConfigHelpers)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/reistijdConfig.cmake.in
  ${PROJECT_BINARY_DIR}/reistijdConfig.cmake INSTALL_DESTINATION ${RT_CMAKE_DIR})
# 0.x: a new minor version may change the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/reistijdConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(EXPORT reistijdTargets NAMESPACE reistijd:: DESTINATION ${RT_CMAKE_DIR})
install(FILES ${PROJECT_BINARY_DIR}/reistijdConfig.cmake
              ${PROJECT_BINARY_DIR}/reistijdConfigVersion.cmake
        DESTINATION ${RT_CMAKE_DIR})

# --- pkg-config ----------------------------------------------------------
# The prefix is written at install time, so `cmake --install --prefix P`
# and the package (prefix /usr) both get their own. Everything else is
# filled in now; @RT_PC_PREFIX@ is left for the install step.
set(RT_PC_PREFIX "@RT_PC_PREFIX@")
set(RT_PC_LIBS_PRIVATE "-lm ${OpenMP_C_FLAGS}")
set(RT_PC_LIBS_EXTRA "")
if(RT_SANITIZE)
  set(RT_PC_LIBS_EXTRA " -fsanitize=address,undefined")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/reistijd.pc.in ${PROJECT_BINARY_DIR}/reistijd.pc.in @ONLY)
install(CODE "
  set(RT_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  string(MD5 rt_pc_key \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}\")
  set(rt_pc \"${PROJECT_BINARY_DIR}/pkgconfig/\${rt_pc_key}/reistijd.pc\")
  configure_file(\"${PROJECT_BINARY_DIR}/reistijd.pc.in\" \"\${rt_pc}\" @ONLY)
  file(INSTALL DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig\"
       TYPE FILE FILES \"\${rt_pc}\")
")

# --- documentation and data attribution -----------------------------------
set(RT_DOCDIR ${CMAKE_INSTALL_DATAROOTDIR}/doc/reistijd)
if(EXISTS ${PROJECT_SOURCE_DIR}/LICENSE)
  file(READ ${PROJECT_SOURCE_DIR}/LICENSE RT_LICENSE_TEXT)
  string(REGEX REPLACE "\n+$" "" RT_LICENSE_TEXT "${RT_LICENSE_TEXT}")
  string(REGEX REPLACE "\n\n" "\n.\n" RT_LICENSE_TEXT "${RT_LICENSE_TEXT}")
  string(REGEX REPLACE "\n" "\n " RT_LICENSE_TEXT " ${RT_LICENSE_TEXT}")
  set(RT_LICENSE_NAME "MIT")
  install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${RT_DOCDIR})
else()
  set(RT_LICENSE_NAME "not-stated")
  set(RT_LICENSE_TEXT " The reistijd source does not state a licence.")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/copyright.in ${PROJECT_BINARY_DIR}/copyright @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/copyright ${PROJECT_SOURCE_DIR}/README.md
        DESTINATION ${RT_DOCDIR})
file(GLOB RT_DOC_PAGES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${RT_DOC_PAGES} DESTINATION ${RT_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/geodata/README.md DESTINATION ${RT_DOCDIR}/geodata)
# Speed profiles and the OSM driver configuration read next to them.
file(GLOB RT_PROFILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/geodata/profiles/*.yaml
     ${PROJECT_SOURCE_DIR}/geodata/profiles/osmconf.ini)
install(FILES ${RT_PROFILES} DESTINATION ${CMAKE_INSTALL_DATADIR}/reistijd/profiles)
file(GLOB RT_DATA_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/geodata/*/SOURCE.txt)
foreach(f ${RT_DATA_SOURCES})
  get_filename_component(dir ${f} DIRECTORY)
  get_filename_component(name ${dir} NAME)
  install(FILES ${f} DESTINATION ${RT_DOCDIR}/geodata/${name})
endforeach()

# --- Debian package (cpack -G DEB) -----------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME reistijd)
set(CPACK_PACKAGE_VENDOR reistijd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "travel-time accessibility for regional policy")
set(CPACK_PACKAGE_DESCRIPTION [[
reistijd computes travel-time grids from facilities over a friction or
speed medium, and per region the population beyond travel-time norms.
This package holds the reistijd command, the C library libreistijd with
its headers, pkg-config and CMake files, the man page and the
documentation.]])
# Install with DESTDIR into /usr, so the install step sees the real prefix
# and reistijd.pc names it.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER reistijd)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/src/lib)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/package)
include(CPack)
