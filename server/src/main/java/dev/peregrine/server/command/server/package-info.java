/** Server commands: CONFIG and INFO, over the configuration, the statistics and the process. */
package dev.peregrine.server.command.server;
