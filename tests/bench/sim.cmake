# cairn-bench-sim: the simulator's ping storm, timed. Included from
# tests/bench/CMakeLists.txt. cairn::sim lives in tests/sim/lib; when the
# tests are not built, that library is added here.
if(NOT TARGET cairn::sim)
  add_subdirectory(${CMAKE_CURRENT_LIST_DIR}/../sim/lib ${CMAKE_CURRENT_BINARY_DIR}/sim-lib)
endif()
add_executable(cairn-bench-sim ${CMAKE_CURRENT_LIST_DIR}/bench_sim.cpp)
target_link_libraries(cairn-bench-sim PRIVATE cairn::sim)

# cairn-sim: the DHT at scale (lookup and availability modes).
if(NOT TARGET cairn::simdht)
  add_subdirectory(${CMAKE_CURRENT_LIST_DIR}/../sim/dht ${CMAKE_CURRENT_BINARY_DIR}/sim-dht)
endif()
add_executable(cairn-sim ${CMAKE_CURRENT_LIST_DIR}/cairnsim.cpp)
target_link_libraries(cairn-sim PRIVATE cairn::simdht)
