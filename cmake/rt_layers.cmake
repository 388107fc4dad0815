# The layers of src/ and the one-way dependencies between them, checked by
# the compiler: each library sees only the headers of its own folder and of
# the libraries it links. A folder's headers are reached through a "view"
# in the build tree, a folder holding one symbolic link named as the
# include prefix ("core", "io", "study/spec"...) to the source folder; a
# library gets its own view as its include directory and the views of what
# it links through their PUBLIC include directories. So
#   core  <-  io  <-  study/spec  <-  study/medium  <-  study/run  <-  (cli)
#                            ^----  study/report  <------'
# and an #include of a folder that is not below in this picture fails to
# compile ("study/run/run.h: No such file or directory" in study/report).
#
# rt_layer(<target> <folder under src> [<source files>...])
#   adds the static library <target> of the .c files of the folder, with its
#   view as PUBLIC include directory and include/ for the public API.
function(rt_layer target folder)
  set(view ${PROJECT_BINARY_DIR}/layers/${target})
  get_filename_component(parent ${view}/${folder} DIRECTORY)
  file(MAKE_DIRECTORY ${parent})
  if(NOT EXISTS ${view}/${folder})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${folder} ${view}/${folder} SYMBOLIC)
  endif()
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${folder}/*.c)
  add_library(${target} STATIC ${sources})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/include ${view})
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON
                                             C_VISIBILITY_PRESET hidden)
endfunction()

# No source reaches a header by a relative path ("../run/run.h"), which
# would step around the views.
file(GLOB_RECURSE RT_ALL_SOURCES ${PROJECT_SOURCE_DIR}/src/*.c ${PROJECT_SOURCE_DIR}/src/*.h)
foreach(f ${RT_ALL_SOURCES})
  file(STRINGS ${f} bad REGEX "#[ \t]*include[ \t]*\"[^\"]*\\.\\./")
  if(bad)
    message(FATAL_ERROR "${f}: ${bad}: include headers by their folder (\"study/spec/spec.h\"), "
                        "not by a relative path")
  endif()
endforeach()

# The libraries each folder alone may include: GDAL, OGR, PROJ, GEOS and
# OpenSSL in src/io, libfyaml in src/study/spec, json-c in src/study/run,
# src/study/batch and src/study/compare, MPI in src/study/batch (their headers sit in
# /usr/include, where no include path can hide them).
function(rt_only_in folder regex what)
  foreach(f ${RT_ALL_SOURCES})
    file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR}/src ${f})
    if(NOT rel MATCHES "^${folder}/")
      file(STRINGS ${f} bad REGEX "#[ \t]*include[ \t]*[<\"](${regex})")
      if(bad)
        message(FATAL_ERROR "src/${rel}: ${bad}: ${what} is used in src/${folder} only")
      endif()
    endif()
  endforeach()
endfunction()
rt_only_in(io "gdal|ogr_|cpl_|proj\\.h|geos_c|openssl/" "GDAL/OGR/PROJ/GEOS/OpenSSL")
rt_only_in(study/spec "libfyaml" "libfyaml")
rt_only_in("study/(run|batch|compare)" "json-c/" "json-c")
rt_only_in(study/batch "mpi\\.h" "MPI")
