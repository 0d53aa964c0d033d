@{
    RootModule           = 'NemoVideo.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '5b7f2b4e-7d0c-4b6e-9a43-2c1f0e8d6a11'
    Author               = 'NemoVideo for PowerShell contributors'
    CompanyName          = 'NemoVideo for PowerShell'
    Copyright            = '(c) 2026 NemoVideo for PowerShell contributors. MIT License.'
    Description          = 'Turn videos into MP3s and compress videos through the NemoVideo cloud API, straight from the pipeline.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('NemoVideo.Format.ps1xml')
    CmdletsToExport      = @(
        'Compress-NemoVideo'
        'Connect-Nemo'
        'ConvertTo-NemoMp3'
        'Disconnect-Nemo'
        'Get-NemoCredit'
        'Get-NemoMediaInfo'
        'Get-NemoPendingWork'
        'Get-NemoRender'
        'Get-NemoSession'
        'Get-NemoState'
        'Invoke-NemoExport'
        'Send-NemoMessage'
        'Send-NemoVideo'
        'Stop-NemoRender'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('NemoVideo', 'Video', 'MP3', 'Audio', 'Compression', 'ffmpeg', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://github.com/nemovideo/nemovideo-powershell/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/nemovideo/nemovideo-powershell'
            ReleaseNotes = @'
0.1.0 - first release on the gallery.
- ConvertTo-NemoMp3 and Compress-NemoVideo, through the NemoVideo cloud or with ffmpeg on this machine (-Engine Local).
- The building blocks: Connect-Nemo, Send-NemoVideo, Send-NemoMessage, Get-NemoState, Invoke-NemoExport,
  Get-NemoRender, Stop-NemoRender, Get-NemoCredit, Get-NemoSession, Disconnect-Nemo.
- Every output is checked from its own bytes; results report what the file is.
- Ships System.Text.Json 8.0.5, System.Net.ServerSentEvents 9.0.18 and Polly.Core 8.9.1 (see the README).
'@
        }
    }
}
