# cairn_add_part(NAME SOURCES ... LINKS ...): one static library per core part.
function(cairn_add_part name)
  cmake_parse_arguments(P "" "" "SOURCES;LINKS" ${ARGN})
  add_library(cairn_${name} STATIC ${P_SOURCES})
  add_library(cairn::${name} ALIAS cairn_${name})
  target_include_directories(cairn_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(cairn_${name} PUBLIC ${P_LINKS})
endfunction()

# cairn_add_test(NAME PART SOURCES ... LINKS ... [LABELS ...] [TIMEOUT s]):
# a Qt Test executable registered with CTest, labelled with the part it tests.
function(cairn_add_test name part)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LINKS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE Qt6::Test ${T_LINKS})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${part};${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;CAIRN_SHARED_DIR=${CAIRN_SHARED_DIR}")
endfunction()
