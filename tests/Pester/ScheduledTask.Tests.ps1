#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The nightly script of about_NemoVideo ("SCHEDULED TASKS ON WINDOWS"), run as printed in a pwsh of its own, as the
# task runs it: twice the same day, twice at once, with a bad file and with too few credits. Its logs must survive
# every run and name the files that failed; its exit code must say whether every file worked.

BeforeDiscovery {
    $script:NoFfmpeg = -not ((Get-Command ffmpeg -ErrorAction SilentlyContinue) -and (Get-Command ffprobe -ErrorAction SilentlyContinue))
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # A token made at nemovideo.com (one that can export), and renders that take a while, so runs can overlap.
    $script:Emulator = Start-NemoEmulator -ArgumentList '--registered-token', 'nightly-token', '--min-render-seconds', '2'
    $script:Pwsh = @(Get-PwshCommand)
    $manifest = Get-NemoModuleManifest
    $about = Get-Content (Join-Path $RepoRoot 'docs/about_NemoVideo.md') -Raw
    if ($about -notmatch '(?s)The script, C:\\Jobs\\nightly\.ps1:\s*```powershell\r?\n(.*?)```') { throw 'The nightly script is no longer in about_NemoVideo.md.' }
    $script:Recipe = $Matches[1]
    $script:Clip = if (Test-Ffmpeg) { New-TestClip -Path (Join-Path $TestDrive 'clip.mkv') -Seconds 2 }

    function New-Night([string] $Name, [string[]] $Recordings) {
        <# A machine's folders for the recipe: the Windows paths it names become folders here (literal substitutions). #>
        $root = Join-Path $TestDrive $Name
        foreach ($dir in 'Jobs', 'Recordings', 'Podcast') { New-Item -ItemType Directory -Path (Join-Path $root $dir) -Force | Out-Null }
        foreach ($file in $Recordings) {
            $path = Join-Path $root "Recordings/$file"
            if ($file -like 'broken*') { Set-Content -LiteralPath $path -Value 'this is text, not a video' } else { Copy-Item $Clip $path }
        }
        # The token stored once with Export-Clixml, as the recipe says (DPAPI on Windows; the same file format here).
        ConvertTo-SecureString 'nightly-token' -AsPlainText -Force | Export-Clixml (Join-Path $root 'Jobs/nemo-token.xml')
        $script = $Recipe
        foreach ($map in @(
                @{ From = 'C:\Jobs'; To = (Join-Path $root 'Jobs'); Why = 'no C: drive here' },
                @{ From = 'D:\Podcast'; To = (Join-Path $root 'Podcast'); Why = 'no D: drive here' },
                @{ From = 'D:\Recordings'; To = (Join-Path $root 'Recordings'); Why = 'no D: drive here' })) {
            if (-not $script.Contains($map.From)) { throw "The recipe no longer names $($map.From) ($($map.Why))." }
            $script = $script.Replace($map.From, $map.To)
        }
        Set-Content -LiteralPath (Join-Path $root 'Jobs/nightly.ps1') -Value $script
        [pscustomobject]@{ Root = $root; Logs = (Join-Path $root 'Jobs/Logs'); Podcast = (Join-Path $root 'Podcast'); Config = (Join-Path $root 'config') }
    }

    function Start-Night($Night) {
        <# pwsh -NoProfile -NonInteractive -File nightly.ps1, as the task's action runs it; the module found on PSModulePath as an installed one. #>
        $saved = @{ NEMO_API_URL = $env:NEMO_API_URL; NEMO_CONFIG_DIR = $env:NEMO_CONFIG_DIR; NEMO_TOKEN = $env:NEMO_TOKEN; PSModulePath = $env:PSModulePath }
        try {
            $env:NEMO_API_URL = $Emulator.BaseUri; $env:NEMO_CONFIG_DIR = $Night.Config; $env:NEMO_TOKEN = $null
            $env:PSModulePath = (Split-Path (Split-Path $manifest)) + [IO.Path]::PathSeparator + $env:PSModulePath
            $out = Join-Path $Night.Root ("console-" + [guid]::NewGuid().ToString('N').Substring(0, 6))
            $arguments = @($Pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Night.Root 'Jobs/nightly.ps1'))
            Start-Process -FilePath $Pwsh[0] -ArgumentList $arguments -PassThru -RedirectStandardOutput "$out.out" -RedirectStandardError "$out.err"
        }
        finally { foreach ($name in $saved.Keys) { Set-Item "env:$name" $saved[$name] -ErrorAction SilentlyContinue } }
    }

    function Wait-Night($Process) {
        if (-not $Process.WaitForExit(180000)) { $Process.Kill(); throw 'The nightly run did not end in 3 minutes.' }
        $Process.ExitCode
    }

    function Get-Logs($Night) { @(Get-ChildItem $Night.Logs -Filter 'nightly-*.log' | Sort-Object Name) }

    function Get-Stats { Invoke-EmulatorAdmin $Emulator 'stats' -Method Get }
}

AfterAll {
    Stop-NemoEmulator $Emulator
}

Describe 'The nightly scheduled-task script of about_NemoVideo' -Skip:$NoFfmpeg {
    It 'keeps the log of each run when it runs twice the same day, and exits 0 when every file worked' {
        $night = New-Night 'twice' 'monday.mkv', 'tuesday.mkv'
        $first = Start-Night $night
        Wait-Night $first | Should -Be 0
        $second = Start-Night $night
        Wait-Night $second | Should -Be 0
        $logs = Get-Logs $night
        $logs | Should -HaveCount 2 -Because 'a log per run: the second run the same day does not overwrite the first'
        $text = $logs | ForEach-Object { Get-Content $_.FullName -Raw }
        $text[0] | Should -Match 'monday\.mkv' -Because 'the first run converted the files and said so'
        $text[0] | Should -Match "Process ID: $($first.Id)"
        $text[1] | Should -Match "Process ID: $($second.Id)"
        $text[1] | Should -Match 'Skipping' -Because 'the second run found the MP3s made (-SkipExisting)'
        @(Get-ChildItem $night.Podcast -Filter *.mp3) | Should -HaveCount 2
    }

    It 'keeps two whole logs when two runs overlap, and pays for each file once' {
        $night = New-Night 'overlap' 'a.mkv', 'b.mkv', 'c.mkv'
        $before = (Get-Stats).agent_messages
        $runs = @((Start-Night $night), (Start-Night $night))
        $runs | ForEach-Object { Wait-Night $_ } | Should -Be @(0, 0)
        $logs = Get-Logs $night
        $logs | Should -HaveCount 2 -Because 'each run has a log of its own'
        foreach ($log in $logs) {
            $lines = Get-Content $log.FullName
            @($lines | Where-Object { $_ -match '^Process ID: (\d+)$' }) | Should -HaveCount 1 -Because 'one run in each log, not two interleaved'
            ($lines | Where-Object { $_ -match '^Process ID:' }) -replace '\D' | Should -BeIn $runs.Id
            $lines | Where-Object { $_ -match 'PowerShell transcript end' } | Should -Not -BeNullOrEmpty -Because 'the log was closed whole'
        }
        @(Get-ChildItem $night.Podcast -Filter *.mp3) | Should -HaveCount 3
        (Get-Stats).agent_messages - $before | Should -Be 3 -Because 'each output is claimed by one run'
    }

    It 'exits 1 and names the file when one fails' {
        $night = New-Night 'bad' 'good.mkv', 'broken.mkv'
        Wait-Night (Start-Night $night) | Should -Be 1
        $log = Get-Content (Get-Logs $night)[0].FullName -Raw
        $log | Should -Match 'FAILED broken\.mkv: '
        $log | Should -Not -Match 'FAILED good\.mkv'
        Test-Path (Join-Path $night.Podcast 'good.mp3') | Should -BeTrue
    }

    It 'exits 1 and names every file left when the credits run out' {
        $night = New-Night 'credits' 'one.mkv', 'two.mkv', 'three.mkv'
        Invoke-EmulatorAdmin $Emulator 'credits/0' | Out-Null
        try { Wait-Night (Start-Night $night) | Should -Be 1 }
        finally { Invoke-EmulatorAdmin $Emulator 'credits/25000' | Out-Null }
        $log = Get-Content (Get-Logs $night)[0].FullName -Raw
        $log | Should -Not -Match 'System\.String\[\]'
        $log | Should -Match 'FAILED (?=[^\r\n]*one\.mkv)(?=[^\r\n]*two\.mkv)(?=[^\r\n]*three\.mkv)' -Because 'one line lists every file not converted, by name'
    }
}
