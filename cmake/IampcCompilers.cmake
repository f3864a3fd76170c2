# Warning and sanitizer flags, applied per target (never globally).
function(iam_warnings tgt)
  target_compile_options(${tgt} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wstrict-prototypes -Wformat=2 -Wvla -Wno-unused-parameter)
  if(IAMPC_WERROR)
    target_compile_options(${tgt} PRIVATE -Werror)
  endif()
endfunction()

if(IAMPC_SANITIZE)
  string(REPLACE ";" "," _san "${IAMPC_SANITIZE}")
  add_compile_options(-fsanitize=${_san} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${_san})
endif()

if(IAMPC_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "IAMPC_FUZZ=ON requires clang (CC=clang)")
  endif()
endif()

# iam_module(name SOURCES... [LIBS ...]): one static library per module.
function(iam_module name)
  cmake_parse_arguments(M "" "" "SOURCES;LIBS" ${ARGN})
  add_library(iam_${name} STATIC ${M_SOURCES})
  target_include_directories(iam_${name} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
  target_link_libraries(iam_${name} PUBLIC ${M_LIBS})
  iam_warnings(iam_${name})
endfunction()
