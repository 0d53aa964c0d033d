using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace NemoVideo.Tests.Architecture;

/// <summary>
/// Which of an assembly's namespaces use which, read from its compiled metadata and IL — signatures, base types, fields,
/// attributes and every token in every method body — so a dependency through <c>var</c> or a chained call counts too.
/// </summary>
public sealed class NamespaceGraph
{
    private NamespaceGraph(IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> edges) => Edges = edges;

    /// <summary>From namespace → to namespace → how many references.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Edges { get; }

    /// <summary>A graph given as its edges (for testing the cycle finder on a known shape).</summary>
    public static NamespaceGraph Of(params (string From, string To)[] edges) => new(edges.GroupBy(e => e.From)
        .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int>)g.ToDictionary(e => e.To, _ => 1)));

    public static NamespaceGraph Read(string assemblyPath, string rootNamespace)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var md = pe.GetMetadataReader();
        var edges = new Dictionary<string, Dictionary<string, int>>();
        var collector = new TypeCollector(md);

        foreach (var handle in md.TypeDefinitions)
        {
            var from = NamespaceOf(md, handle);
            if (!InScope(from, rootNamespace)) continue;
            var used = new List<TypeDefinitionHandle>();
            var type = md.GetTypeDefinition(handle);
            collector.Add(type.BaseType, used);
            foreach (var i in type.GetInterfaceImplementations()) collector.Add(md.GetInterfaceImplementation(i).Interface, used);
            foreach (var f in type.GetFields()) collector.AddFieldSignature(md.GetFieldDefinition(f).Signature, used);
            foreach (var p in type.GetProperties()) collector.AddMethodSignature(md.GetPropertyDefinition(p).Signature, used);
            foreach (var a in type.GetCustomAttributes()) collector.Add(md.GetCustomAttribute(a).Constructor, used);
            foreach (var m in type.GetMethods())
            {
                var method = md.GetMethodDefinition(m);
                collector.AddMethodSignature(method.Signature, used);
                foreach (var a in method.GetCustomAttributes()) collector.Add(md.GetCustomAttribute(a).Constructor, used);
                if (method.RelativeVirtualAddress == 0) continue;
                var body = pe.GetMethodBody(method.RelativeVirtualAddress);
                if (!body.LocalSignature.IsNil) collector.AddLocals(md.GetStandaloneSignature(body.LocalSignature).Signature, used);
                foreach (var token in IlTokens(body.GetILReader()).Where(t => t >> 24 != 0x70)) collector.Add(MetadataTokens.EntityHandle(token), used); // 0x70: a string literal
            }
            foreach (var to in used.Select(t => NamespaceOf(md, t)).Where(ns => ns != from && InScope(ns, rootNamespace)))
            {
                if (!edges.TryGetValue(from, out var targets)) edges[from] = targets = new Dictionary<string, int>();
                targets[to] = targets.TryGetValue(to, out var n) ? n + 1 : 1;
            }
        }
        return new NamespaceGraph(edges.ToDictionary(e => e.Key, e => (IReadOnlyDictionary<string, int>)e.Value));
    }

    /// <summary>Each cycle as the namespaces on it, in order (empty when the graph flows one way).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var cycles = new List<IReadOnlyList<string>>();
        var state = new Dictionary<string, int>(); // 1 = on the path, 2 = done
        var path = new List<string>();
        void Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in Edges.TryGetValue(node, out var t) ? t.Keys.OrderBy(k => k, StringComparer.Ordinal) : Enumerable.Empty<string>())
            {
                if (state.TryGetValue(next, out var s) && s == 1) cycles.Add(path.Skip(path.IndexOf(next)).Concat(new[] { next }).ToList());
                else if (!state.ContainsKey(next)) Visit(next);
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
        }
        foreach (var node in Edges.Keys.OrderBy(k => k, StringComparer.Ordinal)) if (!state.ContainsKey(node)) Visit(node);
        return cycles;
    }

    public override string ToString() => string.Join(Environment.NewLine, Edges.OrderBy(e => e.Key, StringComparer.Ordinal)
        .SelectMany(e => e.Value.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{e.Key} -> {t.Key} ({t.Value})")));

    private static bool InScope(string ns, string root) => ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal);

    /// <summary>A type's namespace; a nested (or compiler-made) type counts as its outermost type's.</summary>
    private static string NamespaceOf(MetadataReader md, TypeDefinitionHandle handle)
    {
        var type = md.GetTypeDefinition(handle);
        while (type.IsNested) type = md.GetTypeDefinition(type.GetDeclaringType());
        return md.GetString(type.Namespace);
    }

    /// <summary>The metadata tokens an IL stream refers to (types, methods, fields, signatures).</summary>
    private static IEnumerable<int> IlTokens(BlobReader il)
    {
        while (il.RemainingBytes > 0)
        {
            var code = (int)il.ReadByte();
            if (code == 0xFE) code = 0xFE00 | il.ReadByte();
            switch (OperandSize(code))
            {
                case -1: // switch
                    var n = il.ReadInt32();
                    il.Offset += n * 4;
                    break;
                case -4: yield return il.ReadInt32(); break;
                case var size: il.Offset += size; break;
            }
        }
    }

    /// <summary>The operand's size in bytes; -4 for a metadata token, -1 for a switch table.</summary>
    private static int OperandSize(int code) => code switch
    {
        0x45 => -1,
        // call, callvirt, newobj, jmp, ldftn, ldvirtftn, ldtoken, ldfld…, box, castclass, isinst, newarr, initobj, sizeof, constrained…
        0x27 or 0x28 or 0x29 or 0x6F or 0x70 or 0x71 or 0x72 or 0x73 or 0x74 or 0x75 or 0x79 or 0x7B or 0x7C or 0x7D or 0x7E or 0x7F or 0x80
            or 0x81 or 0x8C or 0x8D or 0x8F or 0xA3 or 0xA4 or 0xA5 or 0xC2 or 0xC6 or 0xD0 or 0xFE06 or 0xFE07 or 0xFE15 or 0xFE16 or 0xFE1C => -4,
        0x20 or 0x22 or 0x38 or 0x39 or 0x3A or 0x3B or 0x3C or 0x3D or 0x3E or 0x3F or 0x40 or 0x41 or 0x42 or 0x43 or 0x44 or 0xDD => 4, // ldc.i4, ldc.r4, long branches, leave
        0x21 or 0x23 => 8, // ldc.i8, ldc.r8
        0x0E or 0x0F or 0x10 or 0x11 or 0x12 or 0x13 or 0x1F or 0x2B or 0x2C or 0x2D or 0x2E or 0x2F or 0x30 or 0x31 or 0x32 or 0x33 or 0x34 or 0x35 or 0x36 or 0x37 or 0xDE or 0xFE12 or 0xFE19 => 1,
        0xFE09 or 0xFE0A or 0xFE0B or 0xFE0C or 0xFE0D or 0xFE0E => 2, // ldarg, ldarga, starg, ldloc, ldloca, stloc
        _ => 0,
    };

    /// <summary>Collects the assembly's own types that a handle or signature names.</summary>
    private sealed class TypeCollector : ISignatureTypeProvider<TypeDefinitionHandle[], object?>
    {
        private static readonly TypeDefinitionHandle[] None = Array.Empty<TypeDefinitionHandle>();
        private readonly MetadataReader _md;

        public TypeCollector(MetadataReader md) => _md = md;

        public void Add(EntityHandle handle, List<TypeDefinitionHandle> used)
        {
            if (handle.IsNil) return;
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition: used.Add((TypeDefinitionHandle)handle); break;
                case HandleKind.TypeSpecification: used.AddRange(_md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null)); break;
                case HandleKind.MethodDefinition:
                    var method = _md.GetMethodDefinition((MethodDefinitionHandle)handle);
                    used.Add(method.GetDeclaringType());
                    break;
                case HandleKind.FieldDefinition: used.Add(_md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType()); break;
                case HandleKind.MemberReference:
                    var member = _md.GetMemberReference((MemberReferenceHandle)handle);
                    Add(member.Parent, used);
                    if (member.GetKind() == MemberReferenceKind.Method) AddMethodSignature(member.Signature, used);
                    else AddFieldSignature(member.Signature, used);
                    break;
                case HandleKind.MethodSpecification:
                    var spec = _md.GetMethodSpecification((MethodSpecificationHandle)handle);
                    Add(spec.Method, used);
                    foreach (var t in spec.DecodeSignature(this, null)) used.AddRange(t);
                    break;
                case HandleKind.StandaloneSignature:
                    var sig = _md.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                    if (sig.GetKind() == StandaloneSignatureKind.Method) AddMethodSignature(sig.Signature, used);
                    break;
            }
        }

        public void AddMethodSignature(BlobHandle blob, List<TypeDefinitionHandle> used)
        {
            var sig = new SignatureDecoder<TypeDefinitionHandle[], object?>(this, _md, null).DecodeMethodSignature(ref Reader(blob));
            used.AddRange(sig.ReturnType);
            foreach (var p in sig.ParameterTypes) used.AddRange(p);
        }

        public void AddFieldSignature(BlobHandle blob, List<TypeDefinitionHandle> used) =>
            used.AddRange(new SignatureDecoder<TypeDefinitionHandle[], object?>(this, _md, null).DecodeFieldSignature(ref Reader(blob)));

        public void AddLocals(BlobHandle blob, List<TypeDefinitionHandle> used)
        {
            foreach (var t in new SignatureDecoder<TypeDefinitionHandle[], object?>(this, _md, null).DecodeLocalSignature(ref Reader(blob))) used.AddRange(t);
        }

        private BlobReader _reader;
        private ref BlobReader Reader(BlobHandle blob)
        {
            _reader = _md.GetBlobReader(blob);
            return ref _reader;
        }

        public TypeDefinitionHandle[] GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => new[] { handle };
        public TypeDefinitionHandle[] GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => None;
        public TypeDefinitionHandle[] GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, context);
        public TypeDefinitionHandle[] GetPrimitiveType(PrimitiveTypeCode typeCode) => None;
        public TypeDefinitionHandle[] GetSZArrayType(TypeDefinitionHandle[] elementType) => elementType;
        public TypeDefinitionHandle[] GetArrayType(TypeDefinitionHandle[] elementType, ArrayShape shape) => elementType;
        public TypeDefinitionHandle[] GetByReferenceType(TypeDefinitionHandle[] elementType) => elementType;
        public TypeDefinitionHandle[] GetPointerType(TypeDefinitionHandle[] elementType) => elementType;
        public TypeDefinitionHandle[] GetPinnedType(TypeDefinitionHandle[] elementType) => elementType;
        public TypeDefinitionHandle[] GetGenericInstantiation(TypeDefinitionHandle[] genericType, ImmutableArray<TypeDefinitionHandle[]> typeArguments) =>
            genericType.Concat(typeArguments.SelectMany(t => t)).ToArray();
        public TypeDefinitionHandle[] GetGenericMethodParameter(object? context, int index) => None;
        public TypeDefinitionHandle[] GetGenericTypeParameter(object? context, int index) => None;
        public TypeDefinitionHandle[] GetFunctionPointerType(MethodSignature<TypeDefinitionHandle[]> signature) =>
            signature.ReturnType.Concat(signature.ParameterTypes.SelectMany(p => p)).ToArray();
        public TypeDefinitionHandle[] GetModifiedType(TypeDefinitionHandle[] modifier, TypeDefinitionHandle[] unmodifiedType, bool isRequired) => unmodifiedType;
    }
}
