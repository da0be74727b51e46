/** Configuration: the directives, their values, the config file and command line, and CONFIG REWRITE. */
package dev.peregrine.server.config;
