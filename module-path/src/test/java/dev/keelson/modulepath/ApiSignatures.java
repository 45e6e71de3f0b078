package dev.keelson.modulepath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReader;
import java.lang.module.ResolvedModule;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of one named module as sorted text lines, in the spirit of Kotlin's {@code .api}
 * dumps: the module's unqualified exports and transitive requires, then every type that code
 * outside the module can name (public, or protected inside a type it can extend) with its
 * accessible constructors, methods and fields.
 *
 * <p>Types are rendered here rather than by {@code Type.getTypeName()} and everything is sorted, so
 * the text depends only on the class files, not on the JDK that reads them (17 and 25 give the same
 * file).
 */
final class ApiSignatures {

  private ApiSignatures() {}

  static List<String> of(Module module) {
    ModuleDescriptor descriptor = module.getDescriptor();
    List<String> lines = new ArrayList<>();
    lines.add("module " + descriptor.name());
    Set<String> exported = new TreeSet<>();
    for (ModuleDescriptor.Exports exports : descriptor.exports()) {
      if (!exports.isQualified()) {
        exported.add(exports.source());
      }
    }
    exported.forEach(name -> lines.add("  exports " + name));
    descriptor.requires().stream()
        .filter(
            requires ->
                requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
        .map(ApiSignatures::requires)
        .sorted()
        .forEach(lines::add);
    for (Class<?> type : apiTypes(module, exported)) {
      lines.add("");
      lines.add(header(type));
      members(type).forEach(member -> lines.add("  " + member));
    }
    return lines;
  }

  private static String requires(ModuleDescriptor.Requires requires) {
    boolean isStatic = requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC);
    return "  requires " + (isStatic ? "static " : "") + "transitive " + requires.name();
  }

  private static List<Class<?>> apiTypes(Module module, Set<String> exported) {
    ResolvedModule resolved =
        module.getLayer().configuration().findModule(module.getName()).orElseThrow();
    try (ModuleReader reader = resolved.reference().open();
        Stream<String> entries = reader.list()) {
      return entries
          .filter(entry -> entry.endsWith(".class") && !entry.endsWith("module-info.class"))
          .map(entry -> entry.substring(0, entry.length() - ".class".length()).replace('/', '.'))
          .filter(name -> exported.contains(name.substring(0, name.lastIndexOf('.'))))
          .map(name -> Class.forName(module, name))
          .filter(ApiSignatures::isVisible)
          .sorted(Comparator.comparing(ApiSignatures::name))
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether code in another module can name this type. */
  private static boolean isVisible(Class<?> type) {
    if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
      return false;
    }
    Class<?> outer = type.getDeclaringClass();
    if (outer == null) {
      return Modifier.isPublic(type.getModifiers());
    }
    return isVisible(outer) && isAccessible(type.getModifiers(), outer);
  }

  private static boolean isAccessible(int modifiers, Class<?> owner) {
    return Modifier.isPublic(modifiers) || (Modifier.isProtected(modifiers) && isExtensible(owner));
  }

  /** Protected members are API only where another module can subclass their type. */
  private static boolean isExtensible(Class<?> type) {
    if (type.isInterface()) {
      return !type.isSealed();
    }
    if (Modifier.isFinal(type.getModifiers()) || type.isSealed() || type.isEnum()) {
      return false;
    }
    return Arrays.stream(type.getDeclaredConstructors())
        .anyMatch(
            c -> Modifier.isPublic(c.getModifiers()) || Modifier.isProtected(c.getModifiers()));
  }

  private static String header(Class<?> type) {
    int modifiers = type.getModifiers();
    StringBuilder line = new StringBuilder(visibility(modifiers));
    if (Modifier.isStatic(modifiers)) {
      line.append("static ");
    }
    String kind;
    Type superclass = type.getGenericSuperclass();
    if (type.isAnnotation()) {
      kind = "@interface";
    } else if (type.isInterface()) {
      kind = "interface";
    } else if (type.isEnum()) {
      kind = "enum";
      superclass = null;
    } else if (type.isRecord()) {
      kind = "record";
      superclass = null;
    } else {
      kind = "class";
      if (Modifier.isAbstract(modifiers)) {
        line.append("abstract ");
      }
      if (Modifier.isFinal(modifiers)) {
        line.append("final ");
      }
      if (superclass == Object.class) {
        superclass = null;
      }
    }
    if (type.isSealed()) {
      line.append("sealed ");
    }
    line.append(kind)
        .append(' ')
        .append(name(type))
        .append(typeParameters(type.getTypeParameters()));
    if (type.isRecord()) {
      List<String> components = new ArrayList<>();
      for (RecordComponent component : type.getRecordComponents()) {
        components.add(render(component.getGenericType()) + ' ' + component.getName());
      }
      line.append('(').append(String.join(", ", components)).append(')');
    }
    if (superclass != null) {
      line.append(" extends ").append(render(superclass));
    }
    List<String> interfaces = sortedTypes(type.getGenericInterfaces());
    if (type.isAnnotation()) {
      interfaces.remove("java.lang.annotation.Annotation");
    }
    if (!interfaces.isEmpty()) {
      line.append(type.isInterface() ? " extends " : " implements ")
          .append(String.join(", ", interfaces));
    }
    return line.toString();
  }

  /** Fields, then constructors, then methods, each sorted by name and then by its line. */
  private static List<String> members(Class<?> type) {
    List<String> lines = new ArrayList<>();
    lines.addAll(sorted(Stream.of(type.getDeclaredFields()), type, ApiSignatures::field));
    lines.addAll(
        sorted(Stream.of(type.getDeclaredConstructors()), type, ApiSignatures::constructor));
    lines.addAll(
        sorted(
            Stream.of(type.getDeclaredMethods()).filter(method -> !method.isBridge()),
            type,
            ApiSignatures::method));
    return lines;
  }

  private static <M extends Member> List<String> sorted(
      Stream<M> members, Class<?> owner, Function<M, String> render) {
    return members
        .filter(member -> !member.isSynthetic() && isAccessible(member.getModifiers(), owner))
        .sorted(Comparator.comparing((M member) -> member.getName()).thenComparing(render))
        .map(render)
        .collect(Collectors.toList());
  }

  private static String field(Field field) {
    int modifiers = field.getModifiers();
    return visibility(modifiers)
        + (Modifier.isStatic(modifiers) ? "static " : "")
        + (Modifier.isFinal(modifiers) ? "final " : "")
        + render(field.getGenericType())
        + ' '
        + field.getName();
  }

  private static String constructor(Constructor<?> constructor) {
    return visibility(constructor.getModifiers())
        + typeParameters(constructor.getTypeParameters(), " ")
        + constructor.getDeclaringClass().getSimpleName()
        + parameters(constructor);
  }

  private static String method(Method method) {
    int modifiers = method.getModifiers();
    return visibility(modifiers)
        + (Modifier.isAbstract(modifiers) ? "abstract " : "")
        + (method.isDefault() ? "default " : "")
        + (Modifier.isStatic(modifiers) ? "static " : "")
        + (Modifier.isFinal(modifiers) ? "final " : "")
        + typeParameters(method.getTypeParameters(), " ")
        + render(method.getGenericReturnType())
        + ' '
        + method.getName()
        + parameters(method);
  }

  private static String parameters(Executable executable) {
    Type[] types = executable.getGenericParameterTypes();
    if (types.length != executable.getParameterCount()) {
      // Inner-class and enum constructors may carry generic signatures without their implicit
      // parameters; the erased types then name every one.
      types = executable.getParameterTypes();
    }
    List<String> parameters = new ArrayList<>();
    for (Type type : types) {
      parameters.add(render(type));
    }
    if (executable.isVarArgs()) {
      String last = parameters.remove(parameters.size() - 1);
      parameters.add(last.substring(0, last.length() - "[]".length()) + "...");
    }
    String line = "(" + String.join(", ", parameters) + ")";
    List<String> exceptions = sortedTypes(executable.getGenericExceptionTypes());
    return exceptions.isEmpty() ? line : line + " throws " + String.join(", ", exceptions);
  }

  private static String visibility(int modifiers) {
    return Modifier.isPublic(modifiers)
        ? "public "
        : Modifier.isProtected(modifiers) ? "protected " : "";
  }

  private static List<String> sortedTypes(Type[] types) {
    return Stream.of(types).map(ApiSignatures::render).sorted().collect(Collectors.toList());
  }

  private static String typeParameters(TypeVariable<?>[] variables) {
    return typeParameters(variables, "");
  }

  private static String typeParameters(TypeVariable<?>[] variables, String suffix) {
    if (variables.length == 0) {
      return "";
    }
    List<String> rendered = new ArrayList<>();
    for (TypeVariable<?> variable : variables) {
      List<String> bounds = new ArrayList<>();
      for (Type bound : variable.getBounds()) {
        if (bound != Object.class) {
          bounds.add(render(bound));
        }
      }
      rendered.add(
          bounds.isEmpty()
              ? variable.getName()
              : variable.getName() + " extends " + String.join(" & ", bounds));
    }
    return "<" + String.join(", ", rendered) + ">" + suffix;
  }

  private static String render(Type type) {
    if (type instanceof Class<?> c) {
      return c.isArray() ? render(c.getComponentType()) + "[]" : name(c);
    }
    if (type instanceof ParameterizedType parameterized) {
      Class<?> raw = (Class<?>) parameterized.getRawType();
      Type owner = parameterized.getOwnerType();
      String base =
          owner instanceof ParameterizedType
              ? render(owner) + "." + raw.getSimpleName()
              : name(raw);
      List<String> arguments = new ArrayList<>();
      for (Type argument : parameterized.getActualTypeArguments()) {
        arguments.add(render(argument));
      }
      return base + "<" + String.join(", ", arguments) + ">";
    }
    if (type instanceof TypeVariable<?> variable) {
      return variable.getName();
    }
    if (type instanceof WildcardType wildcard) {
      if (wildcard.getLowerBounds().length > 0) {
        return "? super " + render(wildcard.getLowerBounds()[0]);
      }
      Type upper = wildcard.getUpperBounds()[0];
      return upper == Object.class ? "?" : "? extends " + render(upper);
    }
    if (type instanceof GenericArrayType array) {
      return render(array.getGenericComponentType()) + "[]";
    }
    throw new IllegalArgumentException("Unknown kind of type: " + type.getClass());
  }

  /** The source name: {@code java.util.Map.Entry}, not {@code java.util.Map$Entry}. */
  private static String name(Class<?> type) {
    Class<?> outer = type.getDeclaringClass();
    return outer == null ? type.getName() : name(outer) + "." + type.getSimpleName();
  }
}
