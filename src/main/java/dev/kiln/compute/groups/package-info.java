/** Server groups and their policies (affinity, anti-affinity, soft or hard). */
package dev.kiln.compute.groups;
