# Warnings are errors for our own code only (system headers are exempt).
set(SHARDD_WARNINGS -Wall -Wextra -Werror -Wno-missing-field-initializers)

# Sanitizer flag sets used by the sanitized test builds.
set(SHARDD_TSAN_FLAGS -fsanitize=thread -fno-omit-frame-pointer)
set(SHARDD_ASAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)

# shardd_library(NAME SOURCES ... DEPS ... [SANITIZE thread|address])
# Builds a static library with our warning set. With SANITIZE, the same
# sources are compiled instrumented so a sanitized test links only
# instrumented project code.
function(shardd_library name)
  cmake_parse_arguments(ARG "" "SANITIZE" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${SHARDD_WARNINGS})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  shardd_apply_sanitizer(${name} "${ARG_SANITIZE}")
endfunction()

function(shardd_apply_sanitizer target sanitizer)
  if(sanitizer STREQUAL "thread")
    target_compile_options(${target} PUBLIC ${SHARDD_TSAN_FLAGS})
    target_link_options(${target} PUBLIC -fsanitize=thread)
  elseif(sanitizer STREQUAL "address")
    target_compile_options(${target} PUBLIC ${SHARDD_ASAN_FLAGS})
    target_link_options(${target} PUBLIC -fsanitize=address,undefined)
  endif()
endfunction()

# shardd_test(NAME SOURCES ... DEPS ... [SANITIZE thread|address] [LABELS ...])
# A GoogleTest binary registered with CTest.
function(shardd_test name)
  cmake_parse_arguments(ARG "" "SANITIZE;TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${SHARDD_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest_main)
  shardd_apply_sanitizer(${name} "${ARG_SANITIZE}")
  add_test(NAME ${name} COMMAND ${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
                       LABELS "${ARG_LABELS}")
endfunction()
