#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The module beside an older copy of one of its dependencies, loaded first by "another module" in the same pwsh.
# Polly.Core is the dependency PowerShell 7 itself does not carry (System.Text.Json, System.Net.ServerSentEvents
# and Microsoft.Bcl.AsyncInterfaces come with .NET or pwsh, which always wins): a second pwsh loads Polly.Core 8.1.0
# (tools/TestModules restores it into out/test-assets/older) and then imports the module.

BeforeDiscovery {
    $script:NoFfmpeg = -not ((Get-Command ffmpeg -ErrorAction SilentlyContinue) -and (Get-Command ffprobe -ErrorAction SilentlyContinue))
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Older = Join-Path $script:RepoRoot 'out/test-assets/older/Polly.Core.dll'
    if (-not (Test-Path $Older)) { throw "$Older is missing: ./build.ps1 restores it (dotnet build tools/TestModules)." }
    $script:Emulator = Start-NemoEmulator
    $script:Clip = New-TestClip -Path (Join-Path $TestDrive 'older deps.mkv') -Seconds 2
}

AfterAll {
    Stop-NemoEmulator $Emulator
}

Describe 'Beside an older Polly.Core loaded first' -Skip:$NoFfmpeg {
    It 'converts through the cloud path, transient faults retried, with the copy that was loaded first' {
        # Two 503s on the session: the retry pipeline (Polly) has to run for the file to convert.
        Invoke-EmulatorAdmin $Emulator 'faults' -Body @{ route = 'POST /api/tasks/me/with-session/'; times = 2; status = 503 } | Out-Null
        $firedBefore = (Invoke-EmulatorAdmin $Emulator 'stats' -Method Get).faults_fired
        $script = {
            param($Older, $Manifest, $Uri, $Config, $Clip)
            $ErrorActionPreference = 'Stop'
            [Reflection.Assembly]::LoadFrom($Older) | Out-Null   # as another module's Import-Module would
            $env:NEMO_API_URL = $Uri; $env:NEMO_CONFIG_DIR = $Config; $env:NEMO_TOKEN = $null
            Import-Module $Manifest
            $mp3 = ConvertTo-NemoMp3 -LiteralPath $Clip -Bitrate 192 -Force
            $polly = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Polly.Core' })
            [pscustomobject]@{
                Bitrate = $mp3.Bitrate; Path = $mp3.FullName
                Polly = @($polly | ForEach-Object { [Diagnostics.FileVersionInfo]::GetVersionInfo($_.Location).ProductVersion })
            } | ConvertTo-Json -Compress
        }
        $pwsh = @(Get-PwshCommand)
        $file = Join-Path $TestDrive 'older-deps.ps1'
        Set-Content -LiteralPath $file -Value "param(`$Older, `$Manifest, `$Uri, `$Config, `$Clip)`n& { $script } `$Older `$Manifest `$Uri `$Config `$Clip"
        $json = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $file $Older (Get-NemoModuleManifest) $Emulator.BaseUri (Join-Path $TestDrive 'config') $Clip.FullName
        $LASTEXITCODE | Should -Be 0 -Because "the module must work with the older copy loaded first: $json"
        $result = $json | Select-Object -Last 1 | ConvertFrom-Json
        $result.Bitrate | Should -Be 192
        (Get-StreamInfo $result.Path).BitRate | Should -Be 192000
        $result.Polly | Should -HaveCount 1 -Because 'one Polly.Core in the process: the module used the copy already loaded'
        $result.Polly[0] | Should -BeLike '8.1.0*'
        (Invoke-EmulatorAdmin $Emulator 'stats' -Method Get).faults_fired | Should -Be ($firedBefore + 2)
    }
}
