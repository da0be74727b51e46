/** Pub/Sub commands: (S)PUBLISH, (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE and PUBSUB introspection (Redis's pubsub.c). */
package dev.peregrine.server.command.pubsub;
