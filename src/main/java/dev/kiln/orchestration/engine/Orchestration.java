package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.orchestration.OrchestrationService;
import dev.kiln.orchestration.resources.BuiltinTypes;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.CloudTypes;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.template.TemplateLanguage;
import dev.kiln.store.Database;
import dev.kiln.tasks.TaskRunner;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Wires Kiln's Orchestration service: the engine over {@code db}, its durable stack task
 * registered on {@code tasks}, the OS::Heat resource types, and the lifecycle plugins found on the
 * class path. One call, for KilnServer.
 */
public final class Orchestration {
  private Orchestration() {}

  /**
   * @param constraints the custom-constraint checks over the cloud's services ({@link
   *     ConstraintCheckers#NONE} to check none)
   * @param publicUrl Kiln's public URL (as the catalog shows it), for the signal URLs of wait
   *     condition handles
   */
  public static OrchestrationService create(
      Database db,
      Clock clock,
      IdGenerator ids,
      TaskRunner tasks,
      TemplateLanguage templates,
      ConstraintCheckers constraints,
      String publicUrl) {
    return create(db, clock, ids, tasks, templates, constraints, publicUrl, Lifecycle.fromClassPath().plugins());
  }

  /** As above, with the lifecycle plugins given rather than found (tests). */
  public static OrchestrationService create(
      Database db,
      Clock clock,
      IdGenerator ids,
      TaskRunner tasks,
      TemplateLanguage templates,
      ConstraintCheckers constraints,
      String publicUrl,
      List<StackLifecyclePlugin> plugins) {
    return create(db, clock, ids, tasks, templates, constraints, publicUrl, plugins, BuiltinTypes.all());
  }

  /** Kiln's full service with a public URL known in advance (tests with a fixed port). */
  public static OrchestrationService create(
      Database db,
      Clock clock,
      IdGenerator ids,
      TaskRunner tasks,
      TemplateLanguage templates,
      ConstraintCheckers constraints,
      String publicUrl,
      Cloud cloud) {
    requireNonNull(publicUrl, "publicUrl is null");
    return create(db, clock, ids, tasks, templates, constraints, () -> publicUrl, cloud);
  }

  /**
   * Kiln's full service: the OS::Heat types and the cloud's types over {@code cloud}.
   *
   * @param publicUrl Kiln's public URL, asked for each time a signal URL is made: a server whose
   *     port the OS chooses knows it only once it listens
   */
  public static OrchestrationService create(
      Database db,
      Clock clock,
      IdGenerator ids,
      TaskRunner tasks,
      TemplateLanguage templates,
      ConstraintCheckers constraints,
      java.util.function.Supplier<String> publicUrl,
      Cloud cloud) {
    List<ResourceType> all = new ArrayList<>(BuiltinTypes.all());
    var software =
        new dev.kiln.orchestration.software.SoftwareService(
            db, clock, ids, new dev.kiln.orchestration.software.MetadataObjects(db, cloud.objectStore()));
    all.addAll(CloudTypes.all(cloud, software.metadataObjects()));
    all.addAll(dev.kiln.orchestration.resources.software.SoftwareTypes.all(cloud, software));
    List<StackLifecyclePlugin> plugins = new ArrayList<>(Lifecycle.fromClassPath().plugins());
    plugins.add(stackUserCleanup(new dev.kiln.orchestration.software.StackUsers(cloud.identity()), db));
    return create(db, clock, ids, tasks, templates, constraints, publicUrl, plugins, all, software);
  }

  /**
   * As Heat deletes a stack's stack-user project with the stack: once a stack's delete completed,
   * its user project goes (its users went with the resources that made them), and so do those of
   * its nested stacks, whose servers had users of their own.
   */
  private static StackLifecyclePlugin stackUserCleanup(dev.kiln.orchestration.software.StackUsers users, Database db) {
    return new StackLifecyclePlugin() {
      @Override
      public void after(Operation operation) {
        if (operation.action() == dev.kiln.orchestration.StackAction.DELETE
            && operation.outcome() == dev.kiln.orchestration.StackStatus.COMPLETE) {
          users.deleteProject(operation.stack().id());
          for (var nested : new dev.kiln.orchestration.store.StackStore(db.sql()).tree(operation.stack().id())) {
            if (!nested.id().equals(operation.stack().id())) {
              users.deleteProject(nested.id());
            }
          }
        }
      }
    };
  }

  /** A service with exactly these resource types (tests add their own to the built-in ones). */
  public static OrchestrationService create(
      Database db,
      Clock clock,
      IdGenerator ids,
      TaskRunner tasks,
      TemplateLanguage templates,
      ConstraintCheckers constraints,
      String publicUrl,
      List<StackLifecyclePlugin> plugins,
      List<ResourceType> typeList) {
    requireNonNull(publicUrl, "publicUrl is null");
    return create(db, clock, ids, tasks, templates, constraints, () -> publicUrl, plugins, typeList,
        new dev.kiln.orchestration.software.SoftwareService(db, clock, ids));
  }

  private static OrchestrationService create(
      Database db,
      Clock clock,
      IdGenerator ids,
      TaskRunner tasks,
      TemplateLanguage templates,
      ConstraintCheckers constraints,
      java.util.function.Supplier<String> publicUrl,
      List<StackLifecyclePlugin> plugins,
      List<ResourceType> typeList,
      dev.kiln.orchestration.software.SoftwareService software) {
    requireNonNull(tasks, "tasks is null");
    ResourceTypes types = new ResourceTypes(typeList, BuiltinTypes.providerTemplate());
    Engine engine =
        new Engine(
            db, clock, ids, templates, types, new SignalBus(), constraints, new ParsedTemplates(db, templates, types),
            new SecureRandom(),
            publicUrl,
            new TaskEnds());
    // The cloud's tasks run on this runner: a step waiting for one wakes when it ends.
    tasks.onTaskEnded(task -> engine.taskEnds().ended(task.payload()));
    StackRunner runner = new StackRunner(engine);
    Operations operations = new Operations();
    tasks.register(OperationTask.KIND, new OperationTask(runner, new Lifecycle(plugins), operations));
    return new EngineService(
        engine, new StackCommands(runner, tasks, operations), new StackUpdates(runner, tasks, operations), new StackReads(runner),
        software);
  }
}
