#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Runs killed as a reboot kills them (SIGKILL of a real pwsh) and runs that overlap: every edit is paid for once.

BeforeDiscovery {
    $script:NoFfmpeg = -not ((Get-Command ffmpeg -ErrorAction SilentlyContinue) -and (Get-Command ffprobe -ErrorAction SilentlyContinue))
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # Renders take 8 s, so a run can be killed while the service renders.
    $script:Emulator = Start-NemoEmulator -ArgumentList '--anonymous-credits', '100000', '--min-render-seconds', '8'
    $script:Pwsh = @(Get-PwshCommand)
    Import-Module (Get-NemoModuleManifest) -Force
    $script:Config = Join-Path $TestDrive 'config'

    function Start-Batch([string] $Folder, [string] $Log) {
        <# The README's pipeline in a pwsh of its own, as a scheduled task runs it. #>
        $script = Join-Path $TestDrive 'batch.ps1'
        Set-Content -LiteralPath $script -Value @'
param($Manifest, $Uri, $Config, $Folder)
$env:NEMO_API_URL = $Uri; $env:NEMO_CONFIG_DIR = $Config; $env:NEMO_TOKEN = $null
Import-Module $Manifest
Set-Location -LiteralPath $Folder
Get-ChildItem *.mkv | ConvertTo-NemoMp3 -Bitrate 192 -SkipExisting -ThrottleLimit 4 -Verbose 4>&1 3>&1 | ForEach-Object { "$_" }
'@
        $arguments = @($Pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $script, (Get-NemoModuleManifest), $Emulator.BaseUri, $Config, $Folder)
        Start-Process -FilePath $Pwsh[0] -ArgumentList $arguments -PassThru -RedirectStandardOutput $Log -RedirectStandardError "$Log.err"
    }

    function Get-Stats { Invoke-EmulatorAdmin $Emulator 'stats' -Method Get }
}

AfterAll {
    Stop-NemoEmulator $Emulator
    Remove-Module NemoVideo -ErrorAction SilentlyContinue
}

Describe 'A batch killed while the service renders' -Skip:$NoFfmpeg {
    It 'is finished by the same command run again, with no new edit and only the outputs left' {
        $folder = Join-Path $TestDrive 'killed'
        New-Item -ItemType Directory -Path $folder | Out-Null
        foreach ($name in 'one', 'two', 'three', 'four') { New-TestClip -Path (Join-Path $folder "$name.mkv") -Seconds 2 | Out-Null }
        $before = Get-Stats

        $run = Start-Batch $folder (Join-Path $TestDrive 'killed-1.log')
        $deadline = [DateTime]::UtcNow.AddSeconds(90)
        while ((Get-Stats).renders -lt $before.renders + 4 -and [DateTime]::UtcNow -lt $deadline -and -not $run.HasExited) { Start-Sleep -Milliseconds 100 }
        (Get-Stats).renders | Should -Be ($before.renders + 4) -Because 'all four edits were paid and their renders started'
        $run.HasExited | Should -BeFalse -Because 'the renders take 8 s'
        Stop-Process -Id $run.Id -Force   # SIGKILL: no cleanup, no cancel
        $run.WaitForExit()
        @(Get-ChildItem $folder -Filter *.mp3) | Should -BeNullOrEmpty
        (Get-Stats).agent_messages | Should -Be ($before.agent_messages + 4)
        # What was paid for and not delivered, as the user sees it.
        $saved = $env:NEMO_CONFIG_DIR
        try {
            $env:NEMO_CONFIG_DIR = $Config
            $pending = @(Get-NemoPendingWork)
        }
        finally { $env:NEMO_CONFIG_DIR = $saved }
        $pending | Should -HaveCount 4
        $pending.Stage | Sort-Object -Unique | Should -Be 'Rendering'
        ($pending.Source | ForEach-Object { Split-Path $_ -Leaf } | Sort-Object) | Should -Be @('four.mkv', 'one.mkv', 'three.mkv', 'two.mkv')
        $pending | ForEach-Object { $_.RenderId | Should -Not -BeNullOrEmpty; $_.Age | Should -BeLessThan ([TimeSpan]::FromMinutes(5)) }

        $log = Join-Path $TestDrive 'killed-2.log'
        $again = Start-Batch $folder $log
        $again.WaitForExit(120000) | Should -BeTrue
        $again.ExitCode | Should -Be 0
        $after = Get-Stats
        $after.agent_messages | Should -Be ($before.agent_messages + 4) -Because 'what the first run paid for was picked up: 4 edits for 4 files'
        $after.renders | Should -Be ($before.renders + 4) -Because "the first run's renders were polled, not made again"
        (Get-Content $log -Raw) | Should -Match 'resumed: no new edit'
        @(Get-ChildItem $folder -Force | Where-Object Extension -ne '.mkv' | ForEach-Object Name | Sort-Object) |
            Should -Be @('four.mp3', 'one.mp3', 'three.mp3', 'two.mp3') -Because 'only the outputs are left: no temporary file, no claim'
        foreach ($mp3 in Get-ChildItem $folder -Filter *.mp3) { (Get-StreamInfo $mp3.FullName).BitRate | Should -Be 192000 }
        @(Get-ChildItem (Join-Path $Config 'journal') -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty -Because 'delivered work is forgotten'
    }
}

Describe 'The same batch started twice at once' -Skip:$NoFfmpeg {
    It 'pays one edit per file; each file is made by one run, the other says so in a warning and no run fails' {
        $folder = Join-Path $TestDrive 'twice'
        New-Item -ItemType Directory -Path $folder | Out-Null
        foreach ($name in 'a', 'b', 'c') { New-TestClip -Path (Join-Path $folder "$name.mkv") -Seconds 2 | Out-Null }
        $before = Get-Stats
        $logs = (Join-Path $TestDrive 'twice-1.log'), (Join-Path $TestDrive 'twice-2.log')
        $runs = $logs | ForEach-Object { Start-Batch $folder $_ }
        foreach ($run in $runs) { $run.WaitForExit(120000) | Should -BeTrue; $run.ExitCode | Should -Be 0 }

        (Get-Stats).agent_messages | Should -Be ($before.agent_messages + 3) -Because 'one edit per file, not one per run'
        @(Get-ChildItem $folder -Filter *.mp3) | Should -HaveCount 3
        $text = ($logs | ForEach-Object { Get-Content $_ -Raw }) -join "`n"
        $errors = ($logs | ForEach-Object { Get-Content "$_.err" -Raw -ErrorAction SilentlyContinue }) -join ''
        $errors | Should -BeNullOrEmpty
        # Each file is either made by the other run at the same moment (a warning naming it) or already there (-SkipExisting).
        ([regex]::Matches($text, 'is being made by another process')).Count + ([regex]::Matches($text, "Skipping '")).Count | Should -Be 3
    }
}
