# Shared by the Pester suites: find the built module and emulator, start the emulator on a free loopback port.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-NemoModuleManifest {
    $manifest = Join-Path $script:RepoRoot 'out/NemoVideo/NemoVideo.psd1'
    if (-not (Test-Path $manifest)) { throw "Build the module first: dotnet pwsh ./build.ps1 -SkipTests ($manifest is missing)." }
    $manifest
}

function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Start-NemoEmulator {
    <# Starts the emulator process; extra arguments are its command-line options (see its --help). #>
    param([string[]] $ArgumentList = @())
    $configuration = if ($env:NEMO_TEST_CONFIGURATION) { $env:NEMO_TEST_CONFIGURATION } else { 'Release' }
    $dll = Join-Path $script:RepoRoot "src/NemoVideo.Emulator/bin/$configuration/net10.0/NemoVideo.Emulator.dll"
    if (-not (Test-Path $dll)) {
        & dotnet build (Join-Path $script:RepoRoot 'src/NemoVideo.Emulator') -c $configuration --nologo -v quiet | Out-Null
        if ($LASTEXITCODE -ne 0) { throw 'Building the emulator failed.' }
    }
    $port = Get-FreeTcpPort
    $uri = "http://127.0.0.1:$port/"
    $log = [System.IO.Path]::GetTempFileName()
    $arguments = @($dll, '--urls', "http://127.0.0.1:$port", '--quiet', '--silent-rate', '0', '--think-ms', '100') + $ArgumentList
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -RedirectStandardOutput $log -RedirectStandardError "$log.err"
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while ([DateTime]::UtcNow -lt $deadline) {
        try {
            Invoke-RestMethod -Uri "${uri}_emulator/stats" -TimeoutSec 2 | Out-Null
            return [pscustomobject]@{ Process = $process; BaseUri = $uri; Log = $log }
        }
        catch { Start-Sleep -Milliseconds 200 }
        if ($process.HasExited) { break }
    }
    $text = (Get-Content $log, "$log.err" -Raw -ErrorAction SilentlyContinue) -join "`n"
    Stop-NemoEmulator ([pscustomobject]@{ Process = $process; Log = $log })
    throw "The emulator did not start: $text"
}

function Stop-NemoEmulator {
    param($Emulator)
    if ($null -eq $Emulator) { return }
    if (-not $Emulator.Process.HasExited) { $Emulator.Process.Kill(); $Emulator.Process.WaitForExit(10000) | Out-Null }
    Remove-Item $Emulator.Log, "$($Emulator.Log).err" -ErrorAction SilentlyContinue
}

function Invoke-EmulatorAdmin {
    <# Calls the emulator's loopback-only admin routes: faults, tokens/expire, credits/N, stats. #>
    param($Emulator, [string] $Path, [string] $Method = 'Post', $Body)
    $params = @{ Uri = "$($Emulator.BaseUri)_emulator/$Path"; Method = $Method }
    if ($null -ne $Body) { $params.Body = (ConvertTo-Json -InputObject @($Body) -Depth 5); $params.ContentType = 'application/json' }
    Invoke-RestMethod @params
}

function New-TestClip {
    <# A short clip made by ffmpeg's lavfi sources: video and a tone, in the container the extension names. #>
    param([string] $Path, [double] $Seconds = 3, [int] $AudioTracks = 1)
    $arguments = @('-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25')
    for ($i = 0; $i -lt $AudioTracks; $i++) { $arguments += @('-f', 'lavfi', '-i', "sine=frequency=$(440 + 220 * $i):sample_rate=44100") }
    $arguments += @('-t', "$Seconds", '-map', '0:v')
    for ($i = 0; $i -lt $AudioTracks; $i++) { $arguments += @('-map', "$($i + 1):a") }
    $arguments += @('-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', $Path)
    & ffmpeg @arguments
    if ($LASTEXITCODE -ne 0) { throw "ffmpeg could not make $Path" }
    Get-Item -LiteralPath $Path
}

function Get-StreamInfo {
    <# ffprobe's view of a file's first stream of a kind: codec_name, bit_rate, height, duration. #>
    param([string] $Path, [ValidateSet('a', 'v')] [string] $Kind = 'a')
    $json = & ffprobe -v error -select_streams "${Kind}:0" -show_entries 'stream=codec_name,bit_rate,height:format=duration' -of json -- $Path | ConvertFrom-Json
    $stream = $json.streams[0]
    # An audio stream has no height: under Set-StrictMode -Version Latest only properties that exist may be read.
    $height = $stream.PSObject.Properties['height']
    [pscustomobject]@{
        Codec    = $stream.codec_name
        BitRate  = [long]$stream.bit_rate
        Height   = if ($height) { $height.Value } else { $null }
        Duration = [double]$json.format.duration
    }
}

function Test-Ffmpeg { [bool](Get-Command ffmpeg -ErrorAction SilentlyContinue) -and [bool](Get-Command ffprobe -ErrorAction SilentlyContinue) }

function Initialize-NemoTestRun {
    <#
    Starts an emulator, points the module at it with a private config folder under $TestDrive, imports the
    built module; returns what Complete-NemoTestRun needs to undo it all.
    #>
    param([string] $ConfigRoot, [string[]] $EmulatorArguments = @())
    $emulator = Start-NemoEmulator -ArgumentList $EmulatorArguments
    $saved = @{ NEMO_API_URL = $env:NEMO_API_URL; NEMO_TOKEN = $env:NEMO_TOKEN; NEMO_CONFIG_DIR = $env:NEMO_CONFIG_DIR }
    $env:NEMO_API_URL = $emulator.BaseUri
    $env:NEMO_TOKEN = $null
    $env:NEMO_CONFIG_DIR = Join-Path $ConfigRoot 'config'
    Import-Module (Get-NemoModuleManifest) -Force -Global
    [pscustomobject]@{ Emulator = $emulator; SavedEnv = $saved }
}

function Complete-NemoTestRun {
    param($Run)
    if ($null -eq $Run) { return }
    if (Get-Command Disconnect-Nemo -ErrorAction SilentlyContinue) { Disconnect-Nemo -ErrorAction SilentlyContinue }
    Remove-Module NemoVideo -ErrorAction SilentlyContinue
    foreach ($name in $Run.SavedEnv.Keys) { Set-Item "env:$name" $Run.SavedEnv[$name] -ErrorAction SilentlyContinue }
    Stop-NemoEmulator $Run.Emulator
}

function Get-PwshCommand {
    <# How to start another pwsh like this one: the executable, or dotnet and pwsh.dll for the PowerShell tool. #>
    if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { @([Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll')) }
    else { @([Environment]::ProcessPath) }
}
