using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace NemoVideo.PowerShell.Tests;

/// <summary>A host that answers -Confirm's questions as the test says (index into the choices: 0 Yes, 1 Yes to All, 2 No, 3 No to All) and keeps them.</summary>
public sealed class AnsweringHost : PSHost
{
    private readonly AnsweringUI _ui;

    public AnsweringHost(params int[] answers) => _ui = new AnsweringUI(new Queue<int>(answers));

    public List<string> Questions => _ui.Questions;
    /// <summary>What was written to the host, -WhatIf's "What if:" lines among it.</summary>
    public List<string> Lines => _ui.Lines;
    public override string Name => "NemoVideoTestHost";
    public override Version Version => new(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override void SetShouldExit(int exitCode) { }
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }

    private sealed class AnsweringUI : PSHostUserInterface
    {
        private readonly Queue<int> _answers;
        public AnsweringUI(Queue<int> answers) => _answers = answers;
        public List<string> Questions { get; } = new();
        public List<string> Lines { get; } = new();
        public override PSHostRawUserInterface RawUI => null!;
        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice)
        {
            lock (Questions) Questions.Add(message);
            return _answers.Count > 0 ? _answers.Dequeue() : 2;
        }
        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) => throw new NotSupportedException("no prompts");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
        public override string ReadLine() => throw new NotSupportedException();
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();
        public override void Write(string value) { }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
        public override void WriteLine(string value) { lock (Lines) Lines.Add(value); }
        public override void WriteErrorLine(string value) { }
        public override void WriteDebugLine(string message) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) { }
    }
}
