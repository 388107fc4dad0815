# The libFuzzer build (RT_FUZZ=ON; clang only, with Debian's libclang-rt-14-dev):
# every library is compiled with libFuzzer's coverage hooks, AddressSanitizer and
# UBSan, and tests/fuzz links its harnesses with libFuzzer (tests/fuzz/CMakeLists.txt).
# Build the harnesses with the target rt_fuzzers and run them with ctest -L fuzz.
if(RT_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "RT_FUZZ=ON needs clang: configure with -DCMAKE_C_COMPILER=clang")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
  # clang links the sanitizer runtimes into programs only: libreistijd.so
  # (--no-undefined) leaves their symbols to the program that loads it.
  string(APPEND CMAKE_SHARED_LINKER_FLAGS " -Wl,-z,undefs")
endif()
