# The Noise handshake (Noise_*_25519_ChaChaPoly_BLAKE2b, sans-I/O), built into cairn_crypto.
target_sources(cairn_crypto PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/cipherstate.h
  ${CMAKE_CURRENT_LIST_DIR}/cipherstate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/symmetricstate.h
  ${CMAKE_CURRENT_LIST_DIR}/symmetricstate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/handshakepattern.h
  ${CMAKE_CURRENT_LIST_DIR}/handshakepattern.cpp
  ${CMAKE_CURRENT_LIST_DIR}/handshakestate.h
  ${CMAKE_CURRENT_LIST_DIR}/handshakestate.cpp)
