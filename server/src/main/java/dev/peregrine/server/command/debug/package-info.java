/** DEBUG, the tooling and test-suite command, with its gate on {@code enable-debug-command}. */
package dev.peregrine.server.command.debug;
