@{
    RootModule           = 'NemoVideo.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '5b7f2b4e-7d0c-4b6e-9a43-2c1f0e8d6a11'
    Author               = 'NemoVideo for PowerShell contributors'
    CompanyName          = 'NemoVideo for PowerShell'
    Copyright            = '(c) NemoVideo for PowerShell contributors. All rights reserved.'
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
            ProjectUri   = 'https://github.com/nemovideo/nemovideo-powershell'
            ReleaseNotes = 'First release: ConvertTo-NemoMp3, Compress-NemoVideo and the building blocks of the NemoVideo API.'
        }
    }
}
