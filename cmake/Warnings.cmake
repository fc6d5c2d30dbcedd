# Warnings live in one INTERFACE target that every project target links.
add_library(faultline_warnings INTERFACE)
add_library(faultline::warnings ALIAS faultline_warnings)
target_compile_options(faultline_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Woverloaded-virtual)
# GCC 12 reports -Wrestrict on std::string concatenation inlined at -O2
# ("c" + std::to_string(n)), a known false positive (GCC bug 105651), which
# would break Release builds under -Werror.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(faultline_warnings INTERFACE -Wno-restrict)
endif()
if(FAULTLINE_WERROR)
  target_compile_options(faultline_warnings INTERFACE -Werror)
endif()

if(FAULTLINE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# faultline_library(<name> SOURCES ... DEPS ...): a folder's library target,
# aliased faultline::<name>, with the repository root on its include path so
# that headers are included as "cluster/raft/raft.hpp".
function(faultline_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(faultline_${name} STATIC ${ARG_SOURCES})
  add_library(faultline::${name} ALIAS faultline_${name})
  target_include_directories(faultline_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(faultline_${name} PUBLIC ${ARG_DEPS} PRIVATE faultline::warnings ${ARG_PRIVATE_DEPS})
endfunction()
