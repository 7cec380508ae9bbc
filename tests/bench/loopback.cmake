# Benchmarks on a loopback network of real UDP sockets in one process.
# Included from tests/bench/CMakeLists.txt.
add_library(cairn_benchloopback STATIC
  ${CMAKE_CURRENT_LIST_DIR}/loopbackcluster.h ${CMAKE_CURRENT_LIST_DIR}/loopbackcluster.cpp)
target_link_libraries(cairn_benchloopback PUBLIC cairn::dht)
# The secure message layer is used once core/net builds it.
get_target_property(_cairn_net_sources cairn_net SOURCES)
if("securetransport.cpp" IN_LIST _cairn_net_sources)
  target_compile_definitions(cairn_benchloopback PUBLIC CAIRN_BENCH_SECURE)
endif()

# cairn-bench-loopback: Cairn's DHT against OpenDHT, 64 nodes each (the
# OpenDHT side is opendht_loopback.py, run by the bench under /usr/bin/python3).
add_executable(cairn-bench-loopback ${CMAKE_CURRENT_LIST_DIR}/bench_loopback.cpp)
target_link_libraries(cairn-bench-loopback PRIVATE cairn_benchloopback)
target_compile_definitions(cairn-bench-loopback PRIVATE CAIRN_BENCH_SOURCE_DIR="${CMAKE_CURRENT_LIST_DIR}")

# cairn-bench-mail: mail latency and 1 GiB file-drop throughput on 32 nodes.
add_executable(cairn-bench-mail ${CMAKE_CURRENT_LIST_DIR}/bench_mail.cpp)
target_link_libraries(cairn-bench-mail PRIVATE cairn_benchloopback cairn::mail)
