# cairn-bench-loopback: Cairn's DHT against OpenDHT, 64 nodes each on
# loopback UDP (the OpenDHT side is opendht_loopback.py, run by the bench
# under /usr/bin/python3). Included from tests/bench/CMakeLists.txt.
add_executable(cairn-bench-loopback
  ${CMAKE_CURRENT_LIST_DIR}/bench_loopback.cpp
  ${CMAKE_CURRENT_LIST_DIR}/loopbackcluster.h ${CMAKE_CURRENT_LIST_DIR}/loopbackcluster.cpp)
target_link_libraries(cairn-bench-loopback PRIVATE cairn::dht)
target_compile_definitions(cairn-bench-loopback PRIVATE CAIRN_BENCH_SOURCE_DIR="${CMAKE_CURRENT_LIST_DIR}")
# The secure message layer is used once core/net builds it.
get_target_property(_cairn_net_sources cairn_net SOURCES)
if("securetransport.cpp" IN_LIST _cairn_net_sources)
  target_compile_definitions(cairn-bench-loopback PRIVATE CAIRN_BENCH_SECURE)
endif()
