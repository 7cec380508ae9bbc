#include "core/base/log.h"

// Debug output is off by default: no console noise unless asked for.
Q_LOGGING_CATEGORY(lcBase, "cairn.base", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCrypto, "cairn.crypto", QtInfoMsg)
Q_LOGGING_CATEGORY(lcIdentity, "cairn.identity", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNet, "cairn.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDht, "cairn.dht", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMail, "cairn.mail", QtInfoMsg)
Q_LOGGING_CATEGORY(lcTransfer, "cairn.transfer", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "cairn.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRendezvous, "cairn.rendezvous", QtInfoMsg)
Q_LOGGING_CATEGORY(lcEngine, "cairn.engine", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSim, "cairn.sim", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApp, "cairn.app", QtInfoMsg)
