#Requires -Version 5.1
<#
.SYNOPSIS
    The main job, end to end on this machine: builds the module, starts the local NemoVideo emulator,
    and runs   Get-ChildItem *.mkv | ConvertTo-NemoMp3 -Bitrate 320   on a folder of videos.
.PARAMETER Folder
    Where the .mkv files are: the MP3s are written beside them, and nothing else is. Without it, two sample clips made
    by ffmpeg in a temporary folder, removed (with the MP3s) when the demo ends.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./demo.ps1
.EXAMPLE
    dotnet pwsh ./demo.ps1 -Folder D:\Recordings -Bitrate 192
#>
[CmdletBinding()]
param(
    [string] $Folder,
    [ValidateRange(32, 320)] [int] $Bitrate = 320
)
$ErrorActionPreference = 'Stop'
foreach ($tool in 'ffmpeg', 'ffprobe') {
    if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) {
        throw "$tool is not on PATH: the sample clips and the emulator's renders are made with it. Install ffmpeg (Debian/Ubuntu: apt-get install -y ffmpeg; Windows: winget install Gyan.FFmpeg; macOS: brew install ffmpeg) and run the demo again."
    }
}
. (Join-Path $PSScriptRoot 'tests/Pester/TestHelpers.ps1')

& dotnet publish (Join-Path $PSScriptRoot 'src/NemoVideo.PowerShell') -c Release -o (Join-Path $PSScriptRoot 'out/NemoVideo') --nologo -v quiet
if ($LASTEXITCODE -ne 0) { throw 'Building the module failed.' }

# Everything the demo makes for itself (sample clips, the client id and token cache) goes in a temporary folder,
# removed at the end: the user's folder gets the MP3s and nothing else.
$scratch = Join-Path ([IO.Path]::GetTempPath()) ('nemo-demo-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $scratch | Out-Null
$emulator = $null
$saved = @{ NEMO_API_URL = $env:NEMO_API_URL; NEMO_CONFIG_DIR = $env:NEMO_CONFIG_DIR; NEMO_TOKEN = $env:NEMO_TOKEN }
try {
    if (-not $Folder) {
        $Folder = Join-Path $scratch 'clips'
        New-Item -ItemType Directory -Path $Folder | Out-Null
        New-TestClip -Path (Join-Path $Folder 'interview.mkv') -Seconds 5 | Out-Null
        New-TestClip -Path (Join-Path $Folder 'webinar part 2.mkv') -Seconds 4 | Out-Null
    }
    $Folder = (Resolve-Path -LiteralPath $Folder).ProviderPath

    # The emulator answers as NemoVideo's public record shows (--documented): what comes back is checked, not trusted.
    $emulator = Start-NemoEmulator -ArgumentList '--documented', '--anonymous-credits', '1000'
    $env:NEMO_API_URL = $emulator.BaseUri
    $env:NEMO_CONFIG_DIR = Join-Path $scratch 'config'
    $env:NEMO_TOKEN = $null
    Import-Module (Join-Path $PSScriptRoot 'out/NemoVideo/NemoVideo.psd1') -Force
    Write-Host "NemoVideo emulator on $($emulator.BaseUri); converting $(Join-Path $Folder '*.mkv')" -ForegroundColor Cyan

    Push-Location -LiteralPath $Folder
    try {
        # A file that cannot be converted (no audio, damaged) is an error for that file; the others go on.
        Get-ChildItem *.mkv | ConvertTo-NemoMp3 -Bitrate $Bitrate -ErrorAction Continue -ErrorVariable failed |
            Format-Table Name, @{ n = 'kbps (measured)'; e = { $_.Bitrate } }, @{ n = 'Duration'; e = { '{0:mm\:ss}' -f $_.Duration } }, FinishedLocally, Length, Source -AutoSize
    }
    finally { Pop-Location }
    if ($failed) { Write-Host "$(@($failed).Count) file(s) not converted: the errors above say why." -ForegroundColor Yellow }
    Get-NemoCredit
}
finally {
    Remove-Module NemoVideo -ErrorAction SilentlyContinue
    foreach ($name in $saved.Keys) { Set-Item "env:$name" $saved[$name] -ErrorAction SilentlyContinue }
    Stop-NemoEmulator $emulator
    Remove-Item -LiteralPath $scratch -Recurse -Force -ErrorAction SilentlyContinue
}
