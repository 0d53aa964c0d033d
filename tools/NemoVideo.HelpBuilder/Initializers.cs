using System.Globalization;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace NemoVideo.HelpBuilder;

/// <summary>A property initializer as the help shows it: its value, or only that there is one when the IL is too involved to read.</summary>
public sealed record InitialValue(string? Text)
{
    public bool Readable => Text != null;
}

/// <summary>
/// Reads the values cmdlet constructors give their properties (<c>public int ThrottleLimit { get; set; } = 4;</c>)
/// from the IL, without running the type: the cmdlet cannot be created where PowerShell is not loaded. Constants,
/// strings, enum members and <c>TimeSpan.FromX(constant)</c> are read; anything else is reported as present but unread.
/// </summary>
public sealed class Initializers : IDisposable
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);
    private static readonly object Unread = new();

    private readonly PEReader _pe;
    private readonly MetadataReader _md;
    private readonly Dictionary<Type, Dictionary<string, InitialValue>> _byType = new();

    public Initializers(string assemblyPath)
    {
        _pe = new PEReader(File.OpenRead(assemblyPath));
        _md = _pe.GetMetadataReader();
    }

    /// <summary>The initializer of <paramref name="property"/> (an auto-property, on its type or a base type in the same assembly), or null when it has none.</summary>
    public InitialValue? Of(PropertyInfo property)
    {
        for (var type = property.DeclaringType; type != null && type.Assembly == property.DeclaringType!.Assembly; type = type.BaseType)
            if (Read(type).TryGetValue($"<{property.Name}>k__BackingField", out var value)) return value;
        // The compiler leaves out an initializer that sets the type's default; for an enum that is still a member worth naming.
        return property.PropertyType.IsEnum ? new InitialValue(Show(0, property.PropertyType)) : null;
    }

    private Dictionary<string, InitialValue> Read(Type type)
    {
        if (_byType.TryGetValue(type, out var known)) return known;
        var values = new Dictionary<string, InitialValue>();
        _byType[type] = values;
        var ctor = type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).FirstOrDefault(c => c.GetParameters().Length == 0);
        if (ctor == null) return values;
        var handle = (MethodDefinitionHandle)MetadataTokens.EntityHandle(ctor.MetadataToken);
        var rva = _md.GetMethodDefinition(handle).RelativeVirtualAddress;
        if (rva == 0) return values;
        var il = _pe.GetMethodBody(rva).GetILBytes()!;

        // A small stack machine over the initializers, which C# emits before the base constructor call.
        var stack = new Stack<object?>();
        for (var at = 0; at < il.Length;)
        {
            var value = (short)il[at++];
            if (value == 0xFE) value = (short)(0xFE00 | il[at++]);
            if (!OpCodesByValue.TryGetValue(value, out var op)) break;
            var operand = at;
            at += OperandSize(op.OperandType, il, at);
            object? Token() => MetadataTokens.EntityHandle(BitConverter.ToInt32(il, operand));
            switch (op.Value)
            {
                case var v when v == OpCodes.Ldarg_0.Value: stack.Push(Unread); break;
                case var v when v >= OpCodes.Ldc_I4_M1.Value && v <= OpCodes.Ldc_I4_8.Value: stack.Push(v - OpCodes.Ldc_I4_0.Value); break;
                case var v when v == OpCodes.Ldc_I4_S.Value: stack.Push((int)(sbyte)il[operand]); break;
                case var v when v == OpCodes.Ldc_I4.Value: stack.Push(BitConverter.ToInt32(il, operand)); break;
                case var v when v == OpCodes.Ldc_I8.Value: stack.Push(BitConverter.ToInt64(il, operand)); break;
                case var v when v == OpCodes.Ldc_R8.Value: stack.Push(BitConverter.ToDouble(il, operand)); break;
                case var v when v == OpCodes.Ldstr.Value: stack.Push(_md.GetUserString(MetadataTokens.UserStringHandle(BitConverter.ToInt32(il, operand)))); break;
                case var v when v == OpCodes.Ldnull.Value: stack.Push(null); break;
                case var v when v == OpCodes.Conv_R8.Value || v == OpCodes.Conv_I8.Value: break;
                case var v when v == OpCodes.Stfld.Value:
                {
                    var field = (EntityHandle)Token()!;
                    var stored = stack.Count > 0 ? stack.Pop() : Unread;
                    if (field.Kind == HandleKind.FieldDefinition)
                    {
                        var definition = _md.GetFieldDefinition((FieldDefinitionHandle)field);
                        var name = _md.GetString(definition.Name);
                        values[name] = new InitialValue(stored == Unread ? null : Show(stored, type.GetField(name, BindingFlags.NonPublic | BindingFlags.Instance)?.FieldType));
                    }
                    stack.Clear();
                    break;
                }
                case var v when v == OpCodes.Call.Value:
                {
                    var (owner, method) = Callee((EntityHandle)Token()!);
                    if (method == ".ctor") return values; // the base constructor: initializers are done
                    if (owner == "System.TimeSpan" && method.StartsWith("From", StringComparison.Ordinal) && stack.Count > 0 && stack.Peek() is IConvertible n and not string)
                    {
                        stack.Pop();
                        stack.Push(TimeSpanFrom(method, n.ToDouble(CultureInfo.InvariantCulture)));
                    }
                    else { stack.Clear(); stack.Push(Unread); }
                    break;
                }
                default: stack.Clear(); stack.Push(Unread); break; // something this reader does not follow: the next store's value is unread
            }
        }
        return values;
    }

    private (string Owner, string Name) Callee(EntityHandle handle)
    {
        if (handle.Kind == HandleKind.MemberReference)
        {
            var member = _md.GetMemberReference((MemberReferenceHandle)handle);
            var owner = member.Parent.Kind == HandleKind.TypeReference ? TypeName(_md.GetTypeReference((TypeReferenceHandle)member.Parent)) : "";
            return (owner, _md.GetString(member.Name));
        }
        if (handle.Kind == HandleKind.MethodDefinition) return ("", _md.GetString(_md.GetMethodDefinition((MethodDefinitionHandle)handle).Name));
        return ("", "");
    }

    private string TypeName(TypeReference t) => _md.GetString(t.Namespace) + "." + _md.GetString(t.Name);

    private static TimeSpan TimeSpanFrom(string method, double n) => method switch
    {
        "FromDays" => TimeSpan.FromDays(n),
        "FromHours" => TimeSpan.FromHours(n),
        "FromMinutes" => TimeSpan.FromMinutes(n),
        "FromSeconds" => TimeSpan.FromSeconds(n),
        "FromMilliseconds" => TimeSpan.FromMilliseconds(n),
        _ => TimeSpan.FromTicks((long)n),
    };

    /// <summary>The value as PowerShell prints it: an enum by its member's name, numbers and spans invariantly.</summary>
    private static string Show(object? value, Type? fieldType)
    {
        if (value is null) return "None";
        if (fieldType is { IsEnum: true } && value is int n)
            return fieldType.GetFields(BindingFlags.Public | BindingFlags.Static).FirstOrDefault(f => Convert.ToInt64(f.GetRawConstantValue(), CultureInfo.InvariantCulture) == n)?.Name
                ?? n.ToString(CultureInfo.InvariantCulture);
        if (fieldType?.FullName == "System.Boolean" && value is int b) return b != 0 ? "True" : "False";
        return Convert.ToString(value, CultureInfo.InvariantCulture)!;
    }

    private static int OperandSize(OperandType type, byte[] il, int at) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };

    public void Dispose() => _pe.Dispose();
}
