package dev.kiln.orchestration.template;

import dev.kiln.orchestration.template.fn.Node;

/** An output as parsed; {@code condition} is null when it has none. */
record OutputSpec(String name, String description, Node value, Node condition, String path) {}
