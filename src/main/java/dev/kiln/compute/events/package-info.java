/** External events other services send about servers ({@code os-server-external-events}). */
package dev.kiln.compute.events;
