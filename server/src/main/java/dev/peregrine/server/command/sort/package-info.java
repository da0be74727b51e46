/** SORT and SORT_RO: ordering the elements of a list, set or sorted set, with BY/GET key patterns and STORE. */
package dev.peregrine.server.command.sort;
