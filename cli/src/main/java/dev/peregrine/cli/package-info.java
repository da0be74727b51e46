/**
 * peregrine-cli, the admin command line: connects to a RESP server (Peregrine, Redis, Valkey), sends commands and
 * prints replies as redis-cli does. Single-threaded, except the reply reader of the pipe mode.
 */
package dev.peregrine.cli;
