#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The built module's manifest as the gallery and Install-PSResource read it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:ManifestPath = Get-NemoModuleManifest
    $script:Data = Import-PowerShellDataFile $ManifestPath
}

Describe 'The module manifest' {
    It 'passes Test-ModuleManifest with every file it names present' {
        $info = Test-ModuleManifest -Path $ManifestPath -ErrorAction Stop
        $info.Name | Should -Be 'NemoVideo'
        $info.ExportedCmdlets.Keys | Should -Contain 'ConvertTo-NemoMp3'
    }

    It 'carries the gallery fields: license (shipped), project, release notes, edition and platform tags' {
        $psData = $Data.PrivateData.PSData
        $psData.LicenseUri | Should -Match '^https://.+/LICENSE$'
        Join-Path (Split-Path $ManifestPath) 'LICENSE' | Should -Exist
        $psData.ProjectUri | Should -Match '^https://'
        $psData.ReleaseNotes | Should -Match ([regex]::Escape($Data.ModuleVersion))
        foreach ($tag in 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS') { $psData.Tags | Should -Contain $tag }
        $Data.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
    }

    It 'has one version for the manifest and both module assemblies' {
        $folder = Split-Path $ManifestPath
        foreach ($dll in 'NemoVideo.PowerShell.dll', 'NemoVideo.Core.dll') {
            [Reflection.AssemblyName]::GetAssemblyName((Join-Path $folder $dll)).Version.ToString(3) | Should -Be $Data.ModuleVersion
        }
    }
}
