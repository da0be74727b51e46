/**
 * peregrine-cli, the admin command line: connects to a RESP server (Peregrine, Redis, Valkey), sends commands and
 * prints replies as redis-cli does. Single-threaded.
 */
package dev.peregrine.cli;
