/** Connection commands: PING, ECHO, HELLO, AUTH, SELECT, QUIT, RESET and CLIENT. Executor-only. */
package dev.peregrine.server.command.connection;
